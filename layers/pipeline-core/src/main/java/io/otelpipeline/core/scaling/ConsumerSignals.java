package io.otelpipeline.core.scaling;

/**
 * One function's event source on one stream over the window: how far behind the tip it reads
 * (iterator age, milliseconds, maximum per period), what its exporter sent and failed to send,
 * and its circuit breaker ({@code otelcol_exporter_circuit_state}: 0 closed, 0.5 half-open, 1 open).
 * A {@code sequential} consumer keeps state per shard and must see a shard's records in order, one
 * invocation at a time: its ParallelizationFactor stays 1 and it scales by shards only.
 */
public record ConsumerSignals(
    String function, String stream, boolean sequential, int parallelizationFactor, MetricSeries iteratorAgeMillis, MetricSeries exportSent,
    MetricSeries exportFailed, MetricSeries circuitState) {
  /** The highest ParallelizationFactor this consumer may be given. */
  public int maxParallelization() {
    return sequential ? 1 : ScalingLimits.MAX_PARALLELIZATION;
  }

  /** The share of export attempts that failed over the window. */
  public double exportFailureShare() {
    double attempts = exportSent.sum() + exportFailed.sum();
    return attempts == 0 ? 0 : exportFailed.sum() / attempts;
  }
}
