package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementConflict;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The keep-rule and the bookkeeping of one event id's deliveries, without a pipeline. */
@RunWith(JUnit4.class)
public class KeepRuleTest {
  private static final Engagement CALL = TestRecords.call("a", 5);

  @Test
  public void theLongerDeliveryIsKeptInEitherOrder() {
    Engagement longer = CALL.withSeconds(90);
    assertSame(longer, KeepRule.kept(CALL, longer));
    assertSame(longer, KeepRule.kept(longer, CALL));
  }

  @Test
  public void onATieTheKeptDeliveryStays() {
    Engagement same = CALL.withSeconds(60);
    assertSame(CALL, KeepRule.kept(CALL, same));
    assertSame(same, KeepRule.kept(same, CALL));
    assertFalse(KeepRule.replaces(60, 60));
  }

  @Test
  public void onlyALongerDeliveryReplaces() {
    assertTrue(KeepRule.replaces(61, 60));
    assertFalse(KeepRule.replaces(59, 60));
    assertTrue(KeepRule.replaces(0, -1));
  }

  @Test
  public void deliveriesKeepTheLongestAndCountDuplicatesAndConflicts() {
    Deliveries d = new Deliveries();
    TestRecords.conflictingDeliveries().forEach(d::add);
    assertEquals(90, d.longest.engagementSeconds());
    assertEquals(5, d.count);
    // 60, 30, 90 are distinct; the second 90 and the second 60 are exact duplicates.
    assertEquals(2, d.exactDuplicates());
    assertEquals(2, d.conflictingDuplicates());
    // Ascending by the dropped value, each against the kept 90.
    assertEquals(
        List.of(EngagementConflict.of(d.longest, 30), EngagementConflict.of(d.longest, 60)),
        d.conflicts());
  }

  @Test
  public void oneDeliveryHasNoDuplicatesAndNoConflicts() {
    Deliveries d = Deliveries.of(CALL);
    assertSame(CALL, d.longest);
    assertEquals(1, d.count);
    assertEquals(0, d.exactDuplicates());
    assertEquals(0, d.conflictingDuplicates());
    assertEquals(List.of(), d.conflicts());
  }

  @Test
  public void addSecondsSaysWhetherTheValueIsNew() {
    Deliveries d = Deliveries.of(CALL);
    assertFalse(d.addSeconds(60));
    assertTrue(d.addSeconds(30));
    assertFalse(d.addSeconds(30));
    assertTrue(d.addSeconds(0));
    assertEquals(3, d.seconds.length);
  }
}
