package dev.customer360.transforms.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/** Deterministic coder for {@link CustomerProfile} (finished profiles and accumulators). */
public final class CustomerProfileCoder extends AtomicCoder<CustomerProfile> {
  private static final CustomerProfileCoder INSTANCE = new CustomerProfileCoder();
  private static final NullableCoder<String> STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final NullableCoder<Instant> INSTANT = NullableCoder.of(InstantCoder.of());
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final BooleanCoder BOOLEAN = BooleanCoder.of();
  private static final CustomerProfile.Pane[] PANES = CustomerProfile.Pane.values();

  public static CustomerProfileCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(CustomerProfile.class), INSTANCE);
  }

  private CustomerProfileCoder() {}

  @Override
  public void encode(CustomerProfile p, OutputStream out) throws IOException {
    STRING.encode(p.userId, out);
    INSTANT.encode(p.windowStart, out);
    INSTANT.encode(p.windowEnd, out);
    LONG.encode((long) p.pane.ordinal(), out);
    BOOLEAN.encode(p.isFinal, out);
    LONG.encode(p.engagements, out);
    LONG.encode(p.engagementSeconds, out);
    LONG.encode(p.calls, out);
    LONG.encode(p.callSeconds, out);
    LONG.encode(p.websiteVisits, out);
    LONG.encode(p.websiteSeconds, out);
    INSTANT.encode(p.firstEngagement, out);
    INSTANT.encode(p.lastEngagement, out);
    STRING.encode(p.lastCallId, out);
    INSTANT.encode(p.lastCallAt, out);
    STRING.encode(p.lastSiteId, out);
    INSTANT.encode(p.lastSiteAt, out);
  }

  @Override
  public CustomerProfile decode(InputStream in) throws IOException {
    CustomerProfile p = new CustomerProfile();
    p.userId = STRING.decode(in);
    p.windowStart = INSTANT.decode(in);
    p.windowEnd = INSTANT.decode(in);
    p.pane = PANES[LONG.decode(in).intValue()];
    p.isFinal = BOOLEAN.decode(in);
    p.engagements = LONG.decode(in);
    p.engagementSeconds = LONG.decode(in);
    p.calls = LONG.decode(in);
    p.callSeconds = LONG.decode(in);
    p.websiteVisits = LONG.decode(in);
    p.websiteSeconds = LONG.decode(in);
    p.firstEngagement = INSTANT.decode(in);
    p.lastEngagement = INSTANT.decode(in);
    p.lastCallId = STRING.decode(in);
    p.lastCallAt = INSTANT.decode(in);
    p.lastSiteId = STRING.decode(in);
    p.lastSiteAt = INSTANT.decode(in);
    return p;
  }

  @Override
  public void verifyDeterministic() {}
}
