package io.otelpipeline.local;

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
  public void count(String name, double value, Map<String, String> dimensions) {
    totals.add(TelemetryTotals.key(name, withFunction(dimensions)), value);
  }

  @Override
  public void gauge(String name, double value, Map<String, String> dimensions) {
    totals.set(TelemetryTotals.key(name, withFunction(dimensions)), value);
  }

  @Override
  public void flush() {}

  private Map<String, String> withFunction(Map<String, String> dimensions) {
    Map<String, String> d = new HashMap<>(dimensions);
    d.put("function", function);
    return d;
  }
}
