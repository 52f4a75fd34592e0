package io.otelpipeline.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of a component's settings with the path that leads to it, so that every error names
 * the key at fault ({@code connectors.spanmetrics.histogram.explicit.buckets[2]}).
 */
public final class ConfigBlock {
  private final String path;
  private final Map<?, ?> values;

  private ConfigBlock(String path, Map<?, ?> values) {
    this.path = path;
    this.values = values;
  }

  public static ConfigBlock of(String path, Map<?, ?> values) {
    return new ConfigBlock(path, values == null ? Map.of() : values);
  }

  public String path() {
    return path;
  }

  public boolean has(String key) {
    return values.get(key) != null;
  }

  public ConfigException error(String key, String problem) {
    return new ConfigException(path + "." + key + ": " + problem);
  }

  /** Refuses keys this block does not know, as the Collector does, so that a typo is not silently ignored. */
  public void onlyKeys(Set<String> known) {
    Set<String> unknown = new TreeSet<>();
    for (Object key : values.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        unknown.add(String.valueOf(key));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException(path + ": unknown key(s) " + unknown + "; expected some of " + new TreeSet<>(known));
    }
  }

  /** The nested block under {@code key}; an empty block when the key is absent or has no value. */
  public ConfigBlock block(String key) {
    Object v = values.get(key);
    if (v == null) {
      return of(path + "." + key, Map.of());
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw error(key, "must be a mapping, not " + describe(v));
    }
    return of(path + "." + key, m);
  }

  /** The blocks of a list of mappings under {@code key}. */
  public List<ConfigBlock> blocks(String key) {
    List<ConfigBlock> out = new ArrayList<>();
    List<?> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map<?, ?> m)) {
        throw new ConfigException(path + "." + key + "[" + i + "]: must be a mapping, not " + describe(items.get(i)));
      }
      out.add(of(path + "." + key + "[" + i + "]", m));
    }
    return out;
  }

  public String string(String key, String fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      throw error(key, "must be a single value, not " + describe(v));
    }
    return String.valueOf(v);
  }

  public Optional<String> optionalString(String key) {
    return Optional.ofNullable(string(key, null));
  }

  public String requiredString(String key) {
    String s = string(key, null);
    if (s == null || s.isBlank()) {
      throw error(key, "is required");
    }
    return s;
  }

  public boolean bool(String key, boolean fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw error(key, "must be true or false, not '" + s + "'");
  }

  /** A whole number within {@code [min, max]}. */
  public long integer(String key, long fallback, long min, long max) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else {
      try {
        n = Long.parseLong(String.valueOf(v).trim());
      } catch (NumberFormatException e) {
        throw error(key, "must be a whole number, not '" + v + "'");
      }
    }
    if (n < min || n > max) {
      throw error(key, n + " is out of range [" + min + ", " + max + "]");
    }
    return n;
  }

  public Duration duration(String key, Duration fallback) {
    Object v = values.get(key);
    return v == null ? fallback : Durations.parse(v, path + "." + key);
  }

  /** A list of durations, each parsed as the Collector does ({@code 2ms}, {@code 1s}). */
  public List<Duration> durations(String key) {
    List<?> items = list(key);
    List<Duration> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(Durations.parse(items.get(i), path + "." + key + "[" + i + "]"));
    }
    return out;
  }

  public List<String> strings(String key, List<String> fallback) {
    if (values.get(key) == null) {
      return fallback;
    }
    List<?> items = list(key);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item == null || item instanceof Map || item instanceof List) {
        throw new ConfigException(path + "." + key + "[" + i + "]: must be a string, not " + describe(item));
      }
      out.add(String.valueOf(item));
    }
    return List.copyOf(out);
  }

  private List<?> list(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw error(key, "must be a list, not " + describe(v));
    }
    return l;
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "'" + v + "'";
  }
}
