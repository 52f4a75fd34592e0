package io.otelpipeline.local;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/** Process-wide sums of counters and last values of gauges, by {@link Series}, read by the local stack's status line and page. */
public final class TelemetryTotals {
  private static final TelemetryTotals GLOBAL = new TelemetryTotals();

  private final Map<Series, DoubleAdder> counters = new ConcurrentHashMap<>();
  private final Map<Series, Double> gauges = new ConcurrentHashMap<>();

  public static TelemetryTotals global() {
    return GLOBAL;
  }

  void add(Series series, double value) {
    counters.computeIfAbsent(series, k -> new DoubleAdder()).add(value);
  }

  void set(Series series, double value) {
    gauges.put(series, value);
  }

  /** The sum of a counter over all functions and dimensions. */
  public double counter(String name) {
    return counters.entrySet().stream().filter(e -> e.getKey().name().equals(name)).mapToDouble(e -> e.getValue().sum()).sum();
  }

  /** A copy of every counter and gauge by series, in the order of their written form. */
  public Map<Series, Double> snapshot() {
    Map<Series, Double> out = new TreeMap<>(Comparator.comparing(Series::toString));
    counters.forEach((k, v) -> out.put(k, v.sum()));
    out.putAll(gauges);
    return out;
  }

  /** {@link #snapshot()} keyed by each series' written form, {@code name{k=v,...}}, as dashboards and tests name them. */
  public Map<String, Double> written() {
    Map<String, Double> out = new LinkedHashMap<>();
    snapshot().forEach((series, value) -> out.put(series.toString(), value));
    return out;
  }
}
