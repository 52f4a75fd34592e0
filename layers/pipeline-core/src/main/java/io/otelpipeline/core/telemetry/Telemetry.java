package io.otelpipeline.core.telemetry;

import java.util.Map;

/**
 * A function's own telemetry, with the Collector's metric names ({@code otelcol_receiver_accepted_spans}...).
 * Each metric is an {@link Instrument} declared once where its domain lives, and recorded here with
 * dimension values for exactly the keys it declares. Where it goes is the runtime's choice: in
 * Lambda, CloudWatch Embedded Metric Format at the end of each invocation, each metric in its
 * declared unit ({@link EmfTelemetry}).
 */
public interface Telemetry {
  /** The dimension every sink adds with the function's name, so no instrument declares it. */
  String FUNCTION_DIMENSION = "function";

  /** Adds to a counter. */
  default void count(Counter counter, double value, Map<String, String> dimensions) {
    record(new Measurement(counter, value, dimensions));
  }

  default void count(Counter counter, double value) {
    count(counter, value, Map.of());
  }

  /** Records the latest value of a gauge. */
  default void gauge(Gauge gauge, double value, Map<String, String> dimensions) {
    record(new Measurement(gauge, value, dimensions));
  }

  default void gauge(Gauge gauge, double value) {
    gauge(gauge, value, Map.of());
  }

  /** Records one observation of a distribution (a latency, an age), in its declared unit. */
  default void observe(Distribution distribution, double value, Map<String, String> dimensions) {
    record(new Measurement(distribution, value, dimensions));
  }

  default void observe(Distribution distribution, double value) {
    observe(distribution, value, Map.of());
  }

  /**
   * Keeps a measurement whose dimensions were checked against its instrument: a {@link Counter}'s
   * values add up, a {@link Gauge}'s or a {@link Distribution}'s latest value replaces the one before.
   */
  void record(Measurement measurement);

  /** Writes out what the invocation recorded. */
  void flush();

  static Telemetry noop() {
    return new Telemetry() {
      @Override
      public void record(Measurement measurement) {}

      @Override
      public void flush() {}
    };
  }
}
