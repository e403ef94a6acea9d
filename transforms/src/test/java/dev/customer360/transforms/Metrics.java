package dev.customer360.transforms;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads a finished test pipeline's counters. */
final class Metrics {
  private Metrics() {}

  static long counter(PipelineResult result, Class<?> owner, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(owner, name)).build())
            .getCounters()) {
      total += c.getCommitted();
    }
    return total;
  }

  static long distributionMax(PipelineResult result, Class<?> owner, String name) {
    long max = Long.MIN_VALUE;
    for (MetricResult<org.apache.beam.sdk.metrics.DistributionResult> d :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(owner, name)).build())
            .getDistributions()) {
      max = Math.max(max, d.getCommitted().getMax());
    }
    return max;
  }
}
