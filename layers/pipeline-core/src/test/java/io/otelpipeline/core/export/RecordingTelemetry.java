package io.otelpipeline.core.export;

import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Measurement;
import io.otelpipeline.core.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps what was recorded so that tests can read counters and the history of gauges. */
public final class RecordingTelemetry implements Telemetry {
  private final Map<String, Double> counters = new ConcurrentHashMap<>();
  private final Map<String, Double> countersByDimensions = new ConcurrentHashMap<>();
  private final Map<String, List<Double>> gauges = new ConcurrentHashMap<>();

  @Override
  public void record(Measurement measurement) {
    String name = measurement.instrument().name();
    double value = measurement.value();
    if (measurement.instrument() instanceof Counter) {
      counters.merge(name, value, Double::sum);
      countersByDimensions.merge(name + new java.util.TreeMap<>(measurement.dimensions()), value, Double::sum);
    } else {
      gauges.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
  }

  @Override
  public void flush() {}

  public double counter(String name) {
    return counters.getOrDefault(name, 0.0);
  }

  /** A counter's total over the points recorded with exactly these dimensions. */
  public double counter(String name, Map<String, String> dimensions) {
    return countersByDimensions.getOrDefault(name + new java.util.TreeMap<>(dimensions), 0.0);
  }

  public List<Double> gaugeHistory(String name) {
    return gauges.getOrDefault(name, List.of());
  }
}
