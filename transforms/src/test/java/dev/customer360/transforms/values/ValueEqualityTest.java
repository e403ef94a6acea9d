package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import dev.customer360.transforms.values.CustomerProfile.Pane;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Equality of the values the pipeline compares (PAssert, state, the keep-rule): equal when every
 * field is, unequal when one differs, and equal hashes for equal values.
 */
@RunWith(JUnit4.class)
public class ValueEqualityTest {
  private static final Instant T = Instant.parse("2020-03-04T13:15:12Z");

  private static void equalPair(Object a, Object b) {
    assertEquals(a, a);
    assertEquals(a, b);
    assertEquals(b, a);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, null);
    assertNotEquals(a, "another type");
  }

  @Test
  public void engagements() {
    Engagement e = Engagement.of("u", T, "website", "s", 10);
    equalPair(e, Engagement.of("u", T, "website", "s", 10));
    assertNotEquals(e, e.withSeconds(11));
    assertNotEquals(e.hashCode(), e.withSeconds(11).hashCode());
    assertNotEquals(e, e.replacing(5));
    assertNotEquals(e, Engagement.of("v", T, "website", "s", 10));
    assertNotEquals(e.hashCode(), Engagement.of("v", T, "website", "s", 10).hashCode());
    // Where it came from is not part of the engagement.
    assertEquals(e, Engagement.from("clickstream", "u", T, "website", "s", 10));
  }

  @Test
  public void deadLetters() {
    DeadLetter d = DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "bad", "{", T);
    equalPair(d, DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "bad", "{", T));
    assertNotEquals(d, d.withAttempts(2));
    assertNotEquals(d.hashCode(), d.withAttempts(2).hashCode());
    assertNotEquals(d, d.notReplayable());
    assertNotEquals(d, DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "bad", "{", T.plus(1)));
    assertNotEquals(d, DeadLetter.of(DeadLetter.Stage.RULES, "call_log", "bad", "{", T));
    assertEquals(d, DeadLetter.ofColumns("call_log", "bad", "{", T, true, "parse", 1, ""));
  }

  @Test
  public void profiles() {
    ProfileAccumulator a = new ProfileAccumulator().add(Engagement.of("u", T, "website", "s", 10));
    Instant end = T.plus(3_600_000);
    CustomerProfile p = a.finish("u", T, end, Pane.EARLY, false);
    equalPair(p, a.finish("u", T, end, Pane.EARLY, false));
    assertNotEquals(p, a.finish("u", T, end, Pane.EARLY, true));
    assertNotEquals(p, a.finish("u", T, end, Pane.LATE, false));
    assertNotEquals(p, a.finish("v", T, end, Pane.EARLY, false));
    assertNotEquals(p.hashCode(), a.finish("v", T, end, Pane.EARLY, false).hashCode());
  }

  @Test
  public void conflicts() {
    Engagement kept = Engagement.of("u", T, "sales call", "c", 90);
    EngagementConflict c = EngagementConflict.of(kept, 30);
    equalPair(c, EngagementConflict.of(kept, 30));
    assertNotEquals(c, EngagementConflict.of(kept, 31));
    assertNotEquals(c.hashCode(), EngagementConflict.of(kept, 31).hashCode());
    assertNotEquals(c, EngagementConflict.of(kept.withSeconds(91), 30));
    assertEquals(90, c.keptSeconds);
    assertEquals(30, c.droppedSeconds);
    assertEquals(kept.eventId(), c.eventId);
  }
}
