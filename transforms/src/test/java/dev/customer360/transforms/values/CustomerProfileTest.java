package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.values.CustomerProfile.Pane;
import org.joda.time.Instant;
import org.junit.Test;

public class CustomerProfileTest {
  private static final Instant START = Instant.parse("2024-03-01T10:00:00Z");
  private static final Instant END = Instant.parse("2024-03-01T11:00:00Z");
  private static final Instant AT = Instant.parse("2024-03-01T10:15:30.250Z");

  private static ProfileAccumulator callAndVisit() {
    return new ProfileAccumulator()
        .add(Engagement.of("ann", AT, EngagementTypes.SALES_CALL, "call-1", 60))
        .add(Engagement.of("ann", AT.plus(1000), EngagementTypes.WEBSITE, "site-2", 9));
  }

  @Test
  public void itsJsonLineIsTheContractsWithNullsForWhatIsAbsent() {
    assertEquals(
        "{\"user_id\":\"ann\",\"window_start\":\"2024-03-01 10:00:00\","
            + "\"window_end\":\"2024-03-01 11:00:00\",\"engagements\":2,"
            + "\"engagement_seconds\":69,\"calls\":1,\"call_seconds\":60,\"website_visits\":1,"
            + "\"website_seconds\":9,\"first_engagement\":\"2024-03-01 10:15:30\","
            + "\"last_engagement\":\"2024-03-01 10:15:31\",\"last_call_id\":\"call-1\","
            + "\"last_site_id\":\"site-2\",\"pane\":\"EARLY\",\"final\":false}",
        JsonLines.profile(callAndVisit().finish("ann", START, END, Pane.EARLY, false)));
    assertEquals(
        "{\"user_id\":\"bo\",\"window_start\":\"2024-03-01 10:00:00\","
            + "\"window_end\":\"2024-03-01 11:00:00\",\"engagements\":0,"
            + "\"engagement_seconds\":0,\"calls\":0,\"call_seconds\":0,\"website_visits\":0,"
            + "\"website_seconds\":0,\"first_engagement\":null,\"last_engagement\":null,"
            + "\"last_call_id\":null,\"last_site_id\":null,\"pane\":\"ON_TIME\",\"final\":true}",
        JsonLines.profile(new ProfileAccumulator().finish("bo", START, END, Pane.ON_TIME, true)));
  }

  @Test
  public void itsSchemaCoderCarriesEveryField() throws Exception {
    EveryField.roundTrips(
        CustomerProfile.coder(),
        CustomerProfile.class,
        callAndVisit().finish("ann", START, END, Pane.LATE, true));
  }

  @Test
  public void theAccumulatorsSchemaCoderCarriesEveryField() throws Exception {
    EveryField.roundTrips(ProfileAccumulator.coder(), ProfileAccumulator.class, callAndVisit());
  }
}
