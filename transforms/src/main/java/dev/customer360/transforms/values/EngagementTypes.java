package dev.customer360.transforms.values;

/** The engagement types the standardization SQL produces and the profile breaks down. */
public final class EngagementTypes {
  private EngagementTypes() {}

  /** {@code src/sql/call_log.sql}. */
  public static final String SALES_CALL = "sales call";

  /** {@code src/sql/clickstream.sql}. */
  public static final String WEBSITE = "website";
}
