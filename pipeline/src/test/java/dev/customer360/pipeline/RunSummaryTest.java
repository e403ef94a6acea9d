package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The accounting identities of a bounded run. */
@RunWith(JUnit4.class)
public class RunSummaryTest {
  private static final List<String> SOURCES = List.of("call_log", "clickstream");
  private static final Set<Customer360Options.Sink> SINKS =
      java.util.EnumSet.allOf(Customer360Options.Sink.class);

  /**
   * 100 + 50 records; 5 + 2 dead letters, 3 filtered by SQL, 8 exact and 2 conflicting duplicates,
   * 1 late, 1 future.
   */
  private static Map<String, Long> balanced() {
    Map<String, Long> c = new HashMap<>();
    c.put("call_log_records_read", 100L);
    c.put("call_log_rows_to_sql", 96L);
    c.put("call_log_sql_errors", 1L);
    c.put("call_log_rows_from_sql", 92L);
    c.put("call_log_standardized", 90L);
    // 4 parse + 1 sql + 2 validate before standardizing; then 1 late and 1 future
    c.put("call_log_dead_lettered", 9L);
    c.put("call_log_dead_lettered_late", 1L);
    c.put("call_log_dead_lettered_future", 1L);
    c.put("clickstream_records_read", 50L);
    c.put("clickstream_rows_to_sql", 50L);
    c.put("clickstream_rows_from_sql", 50L);
    c.put("clickstream_standardized", 50L);
    c.put("duplicates_dropped", 8L);
    c.put("conflicting_duplicates", 2L);
    c.put("late_events", 1L);
    c.put("future_events", 1L);
    c.put("engagements_distinct", 128L);
    c.put("engagements_out", 128L);
    c.put("postgres_customer_engagements_written", 127L);
    c.put("postgres_customer_engagements_rejected", 1L);
    c.put("postgres_customer_engagements_rejected_from_clickstream", 1L);
    c.put("kafka_engagements_out", 128L);
    return c;
  }

  @Test
  public void balancedTotalsReconcile() {
    assertEquals(List.of(), RunSummary.of(balanced()).unreconciled(SOURCES, SINKS));
  }

  @Test
  public void aRecordLostAnywhereIsNamed() {
    Map<String, Long> lostInParse = balanced();
    lostInParse.put("call_log_rows_to_sql", 95L); // one record neither parsed nor dead-lettered
    lostInParse.put("call_log_rows_from_sql", 91L);
    lostInParse.put("call_log_standardized", 89L);
    lostInParse.put("engagements_distinct", 127L);
    lostInParse.put("engagements_out", 127L);
    lostInParse.put("postgres_customer_engagements_written", 126L);
    lostInParse.put("kafka_engagements_out", 127L);
    assertThat(
        RunSummary.of(lostInParse).unreconciled(SOURCES, SINKS),
        contains(
            "call_log: read 100 != standardized 89 + filtered by its SQL 3 + dead-lettered 7"));

    Map<String, Long> lostInDedup = balanced();
    lostInDedup.put("engagements_distinct", 127L);
    List<String> dedup = RunSummary.of(lostInDedup).unreconciled(SOURCES, SINKS);
    assertThat(dedup.get(0), containsString("standardized 140 != distinct 127"));

    Map<String, Long> lostInASink = balanced();
    lostInASink.put("engagements_out", 126L);
    assertThat(
        RunSummary.of(lostInASink).unreconciled(SOURCES, SINKS),
        contains("files: engagements written 126 != emitted 128"));

    Map<String, Long> conflictNotCounted = balanced();
    conflictNotCounted.put("conflicting_duplicates", 1L);
    assertThat(
        RunSummary.of(conflictNotCounted).unreconciled(SOURCES, SINKS),
        contains(
            "standardized 140 != distinct 128 + duplicates 8 + conflicting duplicates 1 + late 1"
                + " + future 1"));
  }

  @Test
  public void deadLettersAfterStandardizingAreNamedByTheirRawSource() {
    String printed = RunSummary.of(balanced()).render(SOURCES, SINKS);
    assertThat(
        printed, containsString("call_log                100             90              7"));
    assertThat(printed, containsString("future (dead-lettered) 1 (call_log 1)"));
    assertThat(printed, containsString("late (dead-lettered) 1 (call_log 1)"));
    assertThat(printed, containsString("; rejected 1 (clickstream 1)"));
  }

  @Test
  public void aStreamsCorrectionsAreEmittedBesideTheDistinctEngagements() {
    Map<String, Long> corrected = balanced();
    corrected.put("engagement_corrections", 2L);
    corrected.put("engagements_out", 130L);
    corrected.put("postgres_customer_engagements_written", 129L);
    corrected.put("kafka_engagements_out", 130L);
    assertEquals(List.of(), RunSummary.of(corrected).unreconciled(SOURCES, SINKS));
    corrected.put("kafka_engagements_out", 128L);
    assertThat(
        RunSummary.of(corrected).unreconciled(SOURCES, SINKS),
        contains("kafka: engagements written 128 != emitted 130"));
  }
}
