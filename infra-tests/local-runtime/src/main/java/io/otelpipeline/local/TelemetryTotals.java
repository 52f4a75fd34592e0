package io.otelpipeline.local;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/** Process-wide sums of counters and last values of gauges, read by the local stack's status line. */
public final class TelemetryTotals {
  private static final TelemetryTotals GLOBAL = new TelemetryTotals();

  private final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();

  public static TelemetryTotals global() {
    return GLOBAL;
  }

  void add(String key, double value) {
    counters.computeIfAbsent(key, k -> new DoubleAdder()).add(value);
  }

  void set(String key, double value) {
    gauges.put(key, value);
  }

  /** The sum of a counter over all functions and dimensions. */
  public double counter(String name) {
    double sum = 0;
    for (Map.Entry<String, DoubleAdder> e : counters.entrySet()) {
      if (e.getKey().equals(name) || e.getKey().startsWith(name + "{")) {
        sum += e.getValue().sum();
      }
    }
    return sum;
  }

  /** A copy of every counter and gauge, keyed {@code name{k=v,...}}. */
  public Map<String, Double> snapshot() {
    Map<String, Double> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    out.putAll(gauges);
    return out;
  }

  static String key(String name, Map<String, String> dimensions) {
    if (dimensions.isEmpty()) {
      return name;
    }
    StringBuilder b = new StringBuilder(name).append('{');
    new TreeMap<>(dimensions).forEach((k, v) -> b.append(k).append('=').append(v).append(','));
    b.setLength(b.length() - 1);
    return b.append('}').toString();
  }
}
