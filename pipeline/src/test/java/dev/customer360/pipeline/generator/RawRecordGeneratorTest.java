package dev.customer360.pipeline.generator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class RawRecordGeneratorTest {
  private static RawRecordGenerator.Generated generate(long seed) {
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = seed;
    settings.recordsPerSource = 500;
    settings.oversize = false;
    return new RawRecordGenerator(settings).generate();
  }

  @Test
  public void sameSeedSameRecordsOtherSeedOtherRecords() {
    assertEquals(generate(7).linesBySource, generate(7).linesBySource);
    assertNotEquals(generate(7).linesBySource, generate(8).linesBySource);
  }

  @Test
  public void ratesAndAnswerAddUp() {
    RawRecordGenerator.Generated g = generate(7);
    for (List<String> lines : g.linesBySource.values()) {
      assertEquals(500, lines.size());
    }
    // 8% re-deliveries and 3% bad of 500 per source, 2% conflicting re-deliveries of clicks; the
    // rest are distinct engagements.
    assertEquals(2 * 40, g.duplicateLines);
    assertEquals(10, g.conflictingLines);
    assertEquals(15, g.badLinesBySource.get("call_log").size());
    assertEquals(2 * (500 - 40 - 15) - 10, g.expectedEngagements.size());
    HashSet<String> bad = new HashSet<>(g.badLinesBySource.get("call_log"));
    bad.addAll(g.badLinesBySource.get("clickstream"));
    assertEquals("bad lines are distinct", 30, bad.size());
  }
}
