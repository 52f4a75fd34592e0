package io.otelpipeline.core.scaling;

/**
 * One function's event source on one stream over the window: how far behind the tip it reads
 * (iterator age, milliseconds, maximum per period), what its exporter sent and failed to send,
 * and its circuit breaker ({@code otelcol_exporter_circuit_state}: 0 closed, 0.5 half-open, 1 open).
 */
public record ConsumerSignals(
    String function, String stream, int parallelizationFactor, MetricSeries iteratorAgeMillis, MetricSeries exportSent, MetricSeries exportFailed, MetricSeries circuitState) {
  /** The share of export attempts that failed over the window. */
  public double exportFailureShare() {
    double attempts = exportSent.sum() + exportFailed.sum();
    return attempts == 0 ? 0 : exportFailed.sum() / attempts;
  }
}
