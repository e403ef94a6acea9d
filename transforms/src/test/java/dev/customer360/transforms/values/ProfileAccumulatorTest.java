package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import dev.customer360.transforms.values.CustomerProfile.Pane;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The profile's arithmetic: sums, corrections, first and last times, and the latest ids. */
@RunWith(JUnit4.class)
public class ProfileAccumulatorTest {
  private static final Instant T = Instant.parse("2024-03-01T10:15:30Z");
  private static final Instant START = Instant.parse("2024-03-01T10:00:00Z");
  private static final Instant END = Instant.parse("2024-03-01T11:00:00Z");

  private static Engagement call(String id, Instant at, int seconds) {
    return Engagement.of("ann", at, EngagementTypes.SALES_CALL, id, seconds);
  }

  private static Engagement visit(String id, Instant at, int seconds) {
    return Engagement.of("ann", at, EngagementTypes.WEBSITE, id, seconds);
  }

  private static CustomerProfile profile(ProfileAccumulator a) {
    return a.finish("ann", START, END, Pane.ON_TIME, true);
  }

  /** The sums of a profile, in field order. */
  private static String sums(ProfileAccumulator a) {
    return a.engagements
        + " "
        + a.engagementSeconds
        + " "
        + a.calls
        + " "
        + a.callSeconds
        + " "
        + a.websiteVisits
        + " "
        + a.websiteSeconds;
  }

  @Test
  public void callsAndVisitsAreSummedByType() {
    ProfileAccumulator a =
        new ProfileAccumulator()
            .add(call("c1", T, 60))
            .add(call("c2", T.plus(1000), 30))
            .add(visit("s1", T.plus(2000), 9));
    assertEquals("3 99 2 90 1 9", sums(a));
    // Another type counts as an engagement only.
    a.add(Engagement.of("ann", T, "email", "e1", 5));
    assertEquals("4 104 2 90 1 9", sums(a));
  }

  @Test
  public void aCorrectionAddsOnlyTheSecondsOverTheDeliveryItReplaces() {
    Engagement call = call("c1", T, 90).replacing(60);
    assertEquals(30, ProfileAccumulator.correctionSeconds(call));
    ProfileAccumulator a = new ProfileAccumulator().add(call("c1", T, 60)).add(call);
    assertEquals("1 90 1 90 0 0", sums(a));
    ProfileAccumulator b =
        new ProfileAccumulator().add(visit("s1", T, 9)).add(visit("s1", T, 19).replacing(9));
    assertEquals("1 19 0 0 1 19", sums(b));
    ProfileAccumulator c = new ProfileAccumulator().add(Engagement.of("ann", T, "email", "e", 4));
    c.add(Engagement.of("ann", T, "email", "e", 7).replacing(4));
    assertEquals("1 7 0 0 0 0", sums(c));
    // A correction is not a new engagement: it changes no time and no latest id.
    assertNull(new ProfileAccumulator().add(call).firstEngagement);
    assertNull(new ProfileAccumulator().add(call).lastCallId);
  }

  @Test
  public void firstAndLastEngagementSpanEveryType() {
    ProfileAccumulator a =
        new ProfileAccumulator()
            .add(visit("s1", T.plus(5000), 1))
            .add(call("c1", T, 1))
            .add(Engagement.of("ann", T.plus(9000), "email", "e", 1))
            .add(call("c2", T.plus(3000), 1));
    assertEquals(T, a.firstEngagement);
    assertEquals(T.plus(9000), a.lastEngagement);
    CustomerProfile p = profile(a);
    assertEquals(T, p.firstEngagement);
    assertEquals(T.plus(9000), p.lastEngagement);
  }

  @Test
  public void theLatestCallAndVisitPickTheirIdsWhateverTheOrder() {
    ProfileAccumulator a =
        new ProfileAccumulator()
            .add(call("late", T.plus(2000), 1))
            .add(call("early", T, 1))
            .add(visit("first", T, 1))
            .add(visit("second", T.plus(1), 1));
    assertEquals("late", a.lastCallId);
    assertEquals(T.plus(2000), a.lastCallAt);
    assertEquals("second", a.lastSiteId);
    assertEquals(T.plus(1), a.lastSiteAt);
    CustomerProfile p = profile(a);
    assertEquals("late", p.lastCallId);
    assertEquals("second", p.lastSiteId);
  }

  @Test
  public void atTheSameTimeTheLargerIdIsTheLatest() {
    ProfileAccumulator ab = new ProfileAccumulator().add(call("a", T, 1)).add(call("b", T, 1));
    ProfileAccumulator ba = new ProfileAccumulator().add(call("b", T, 1)).add(call("a", T, 1));
    assertEquals("b", ab.lastCallId);
    assertEquals("b", ba.lastCallId);
    assertTrue(ProfileAccumulator.isLater(T, "b", T, "a"));
    assertFalse(ProfileAccumulator.isLater(T, "a", T, "b"));
    assertFalse(ProfileAccumulator.isLater(T, "a", T, "a"));
    assertTrue(ProfileAccumulator.isLater(T.plus(1), "a", T, "b"));
    assertFalse(ProfileAccumulator.isLater(T.minus(1), "b", T, "a"));
    assertTrue(ProfileAccumulator.isLater(T, "a", null, null));
    assertTrue(ProfileAccumulator.isLater(T, "a", T, null));
  }

  @Test
  public void earlierAndLaterIgnoreAnAbsentTimeAndKeepTheCurrentOnATie() {
    Instant same = new Instant(T.getMillis());
    assertEquals(T, ProfileAccumulator.earlier(null, T));
    assertEquals(T, ProfileAccumulator.earlier(T, null));
    assertNull(ProfileAccumulator.earlier(null, null));
    assertEquals(T, ProfileAccumulator.earlier(T.plus(1), T));
    assertEquals(T, ProfileAccumulator.earlier(T, T.plus(1)));
    assertSame(T, ProfileAccumulator.earlier(T, same));
    assertEquals(T, ProfileAccumulator.later(null, T));
    assertEquals(T, ProfileAccumulator.later(T, null));
    assertNull(ProfileAccumulator.later(null, null));
    assertEquals(T, ProfileAccumulator.later(T.minus(1), T));
    assertEquals(T, ProfileAccumulator.later(T, T.minus(1)));
    assertSame(T, ProfileAccumulator.later(T, same));
  }

  @Test
  public void mergingPartsGivesWhatAddingAllGives() {
    Engagement[] all = {
      call("c1", T.plus(4000), 60),
      visit("s1", T, 9),
      call("c2", T.plus(1000), 30),
      visit("s2", T.plus(8000), 12),
      call("c0", T.plus(4000), 5),
    };
    ProfileAccumulator whole = new ProfileAccumulator();
    for (Engagement e : all) {
      whole.add(e);
    }
    for (int split = 0; split <= all.length; split++) {
      ProfileAccumulator left = new ProfileAccumulator();
      ProfileAccumulator right = new ProfileAccumulator();
      for (int i = 0; i < all.length; i++) {
        (i < split ? left : right).add(all[i]);
      }
      assertEquals("split at " + split, whole, new ProfileAccumulator().merge(left).merge(right));
      assertEquals("split at " + split, whole, right.merge(left));
    }
    assertEquals("5 116 3 95 2 21", sums(whole));
    assertEquals("c1", whole.lastCallId);
    assertEquals("s2", whole.lastSiteId);
    assertEquals(T, whole.firstEngagement);
    assertEquals(T.plus(8000), whole.lastEngagement);
  }

  @Test
  public void mergingAnEmptyAccumulatorChangesNothing() {
    ProfileAccumulator a = new ProfileAccumulator().add(call("c", T, 60)).add(visit("s", T, 9));
    ProfileAccumulator copy = new ProfileAccumulator().merge(a);
    assertEquals(a, copy);
    assertEquals(a, copy.merge(new ProfileAccumulator()));
    assertEquals(T, copy.lastCallAt);
    assertEquals(T, copy.lastSiteAt);
    assertEquals(a.hashCode(), copy.hashCode());
  }

  @Test
  public void accumulatorsAreEqualOnlyWhenEveryFieldIs() {
    ProfileAccumulator a = new ProfileAccumulator().add(call("c", T, 60));
    ProfileAccumulator b = new ProfileAccumulator().add(call("c", T, 60));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, new ProfileAccumulator().add(call("d", T, 60)));
    assertNotEquals(a.hashCode(), new ProfileAccumulator().hashCode());
    assertNotEquals(a, "a profile");
  }

  @Test
  public void finishNamesTheWindowAndTheFiring() {
    CustomerProfile p =
        new ProfileAccumulator().add(call("c", T, 60)).finish("ann", START, END, Pane.LATE, false);
    assertEquals("ann", p.userId);
    assertEquals(START, p.windowStart);
    assertEquals(END, p.windowEnd);
    assertEquals(1, p.engagements);
    assertEquals(60, p.engagementSeconds);
    assertEquals(1, p.calls);
    assertEquals(60, p.callSeconds);
    assertEquals(0, p.websiteVisits);
    assertEquals(0, p.websiteSeconds);
    assertEquals("LATE", p.pane);
    assertFalse(p.isFinal);
    assertNull(p.lastSiteId);
  }
}
