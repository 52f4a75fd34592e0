package io.otelpipeline.local;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** One time series of the functions' telemetry in the local stack: the instrument's name and the recorded dimensions, with the function's. */
public record Series(String name, Map<String, String> dimensions) {
  public Series {
    dimensions = Map.copyOf(dimensions);
  }

  /** Whether the series has the dimension {@code key} with {@code value}. */
  public boolean has(String key, String value) {
    return value.equals(dimensions.get(key));
  }

  /** Whether the series has the dimension {@code key}, with any value. */
  public boolean has(String key) {
    return dimensions.containsKey(key);
  }

  /** As Prometheus and the status line write it: {@code name{k=v,...}}, keys in order. */
  @Override
  public String toString() {
    if (dimensions.isEmpty()) {
      return name;
    }
    StringJoiner joined = new StringJoiner(",", name + "{", "}");
    new TreeMap<>(dimensions).forEach((k, v) -> joined.add(k + "=" + v));
    return joined.toString();
  }
}
