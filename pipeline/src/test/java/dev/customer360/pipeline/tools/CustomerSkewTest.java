package dev.customer360.pipeline.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class CustomerSkewTest {
  private static final int CUSTOMERS = 20_000;
  private static final int PAIRS = 1_000_000;

  /** Pairs per customer over the first {@link #PAIRS} pairs, most active first. */
  private static long[] countsDescending(CustomerSkew skew) {
    long[] counts = new long[CUSTOMERS];
    for (long i = 0; i < PAIRS; i++) {
      counts[skew.customerOf(i)]++;
    }
    Arrays.sort(counts);
    for (int a = 0, b = counts.length - 1; a < b; a++, b--) {
      long t = counts[a];
      counts[a] = counts[b];
      counts[b] = t;
    }
    return counts;
  }

  private static double shareOfTop(long[] descending, int top) {
    return Arrays.stream(descending, 0, top).sum() / (double) PAIRS;
  }

  @Test
  public void uniformGivesEveryCustomerTheSameShare() {
    long[] counts = countsDescending(CustomerSkew.of("uniform", CUSTOMERS));
    assertEquals(PAIRS / CUSTOMERS, counts[0]);
    assertEquals(PAIRS / CUSTOMERS, counts[CUSTOMERS - 1]);
  }

  @Test
  public void hotGivesOneCustomerAFifthAndTheOthersTheRestEvenly() {
    CustomerSkew skew = CustomerSkew.of("hot", CUSTOMERS);
    assertEquals(0, skew.customerOf(0));
    assertEquals(0, skew.customerOf(5));
    long[] counts = countsDescending(skew);
    assertEquals(PAIRS / 5, counts[0]);
    // 800,000 pairs over 19,999 customers: 40 or 41 each.
    assertTrue(counts[1] <= 41 && counts[CUSTOMERS - 1] >= 40);
    assertEquals(0.2, skew.shareOfTop(1), 1e-12);
  }

  @Test
  public void zipfGivesTheTopPercentOfCustomersHalfTheEvents() {
    CustomerSkew skew = CustomerSkew.of("zipf", CUSTOMERS);
    assertEquals(0.5, skew.shareOfTop(CUSTOMERS / 100), 1e-9);
    long[] counts = countsDescending(skew);
    assertEquals(0.5, shareOfTop(counts, CUSTOMERS / 100), 0.005);
    // A spread, not a cliff: the top customer gets several per cent, the top 10% most events.
    assertEquals(skew.shareOfTop(1), shareOfTop(counts, 1), 0.002);
    assertTrue(shareOfTop(counts, 1) > 0.03 && shareOfTop(counts, 1) < 0.2);
    assertTrue(shareOfTop(counts, CUSTOMERS / 10) > 0.7);
  }

  @Test
  public void theSameIndexGivesTheSameCustomer() {
    CustomerSkew a = CustomerSkew.of("zipf", CUSTOMERS);
    CustomerSkew b = CustomerSkew.of("ZIPF", CUSTOMERS);
    for (long i = 0; i < 1000; i++) {
      assertEquals(a.customerOf(i), b.customerOf(i));
    }
  }

  @Test
  public void anUnknownSkewOrTooFewCustomersSayWhatToGive() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> CustomerSkew.of("pareto", CUSTOMERS));
    assertEquals("--skew=pareto is not a skew: give uniform, hot or zipf", unknown.getMessage());
    IllegalArgumentException few =
        assertThrows(IllegalArgumentException.class, () -> CustomerSkew.of("zipf", 50));
    assertTrue(few.getMessage(), few.getMessage().contains("at least 100 for zipf"));
  }
}
