package io.otelpipeline.local;

import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Measurement;
import io.otelpipeline.core.telemetry.Telemetry;
import java.util.HashMap;
import java.util.Map;

/** Telemetry of an in-process function of the local stack: straight into the process totals. */
final class LocalTelemetry implements Telemetry {
  private final String function;
  private final TelemetryTotals totals;

  LocalTelemetry(String function, TelemetryTotals totals) {
    this.function = function;
    this.totals = totals;
  }

  @Override
  public void record(Measurement measurement) {
    Series series = new Series(measurement.instrument().name(), withFunction(measurement.dimensions()));
    if (measurement.instrument() instanceof Counter) {
      totals.add(series, measurement.value());
    } else {
      totals.set(series, measurement.value());
    }
  }

  @Override
  public void flush() {}

  private Map<String, String> withFunction(Map<String, String> dimensions) {
    Map<String, String> d = new HashMap<>(dimensions);
    d.put(FUNCTION_DIMENSION, function);
    return d;
  }
}
