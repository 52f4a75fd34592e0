package io.otelpipeline.core.telemetry;

import java.util.Map;

/**
 * A function's own telemetry, with the Collector's metric names ({@code otelcol_receiver_accepted_spans}...).
 * Where it goes is the runtime's choice: in Lambda, CloudWatch Embedded Metric Format at the end
 * of each invocation ({@link EmfTelemetry}).
 */
public interface Telemetry {
  /** Adds to a counter. */
  void count(String name, double value, Map<String, String> dimensions);

  default void count(String name, double value) {
    count(name, value, Map.of());
  }

  /** Records the latest value of a gauge. */
  void gauge(String name, double value, Map<String, String> dimensions);

  /** Records one observation of a distribution (a latency, an age), in the unit its name says. */
  default void observe(String name, double value, Map<String, String> dimensions) {
    gauge(name, value, dimensions);
  }

  /** Writes out what the invocation recorded. */
  void flush();

  static Telemetry noop() {
    return new Telemetry() {
      @Override
      public void count(String name, double value, Map<String, String> dimensions) {}

      @Override
      public void gauge(String name, double value, Map<String, String> dimensions) {}

      @Override
      public void flush() {}
    };
  }
}
