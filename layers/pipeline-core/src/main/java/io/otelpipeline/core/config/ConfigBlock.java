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

  /** The mapping itself, for decoders that walk it on their own. */
  public Map<?, ?> asMap() {
    return values;
  }

  /**
   * A note for each key of this block that the Collector accepts but that has no effect here,
   * naming the key and the reason {@code reasons} gives for it, for the start-up report.
   */
  public List<String> notApplicable(Map<String, String> reasons) {
    List<String> notes = new ArrayList<>();
    for (String key : keys()) {
      if (reasons.containsKey(key)) {
        notes.add(path + "." + key + " has no effect here: " + reasons.get(key));
      }
    }
    return List.copyOf(notes);
  }

  /** The keys of this mapping, in the order they were written. */
  public List<String> keys() {
    return values.keySet().stream().map(String::valueOf).toList();
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

  /** The blocks of a list of mappings under {@code key}, each at its index ({@code key[2]}). */
  public List<ConfigBlock> blocks(String key) {
    return blocks(key, false);
  }

  /**
   * The blocks of a list of mappings under {@code key}, each at its {@code name} when it has one
   * ({@code policies[errors]}), so that an error in a long list names the entry a user wrote.
   */
  public List<ConfigBlock> namedBlocks(String key) {
    return blocks(key, true);
  }

  private List<ConfigBlock> blocks(String key, boolean byName) {
    List<ConfigBlock> out = new ArrayList<>();
    List<?> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map<?, ?> m)) {
        throw new ConfigException(path + "." + key + "[" + i + "]: must be a mapping, not " + describe(items.get(i)));
      }
      Object name = byName ? m.get("name") : null;
      out.add(of(path + "." + key + "[" + (name == null ? String.valueOf(i) : String.valueOf(name)) + "]", m));
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
    long n = integer(key, fallback);
    if (n < min || n > max) {
      throw error(key, n + " is out of range [" + min + ", " + max + "]");
    }
    return n;
  }

  /** A whole number, of any sign. */
  public long integer(String key, long fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw error(key, "must be a whole number, not '" + v + "'");
    }
  }

  /** A whole number of zero or more. */
  public long nonNegativeInteger(String key, long fallback) {
    long n = integer(key, fallback);
    if (n < 0) {
      throw error(key, "must not be negative, found " + n);
    }
    return n;
  }

  /** A number, whole or not. */
  public double number(String key, double fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw error(key, "must be a number, not '" + v + "'");
    }
  }

  /** A duration as the Collector writes them ({@code 30s}); a bare number is nanoseconds and must not be negative. */
  public Duration duration(String key, Duration fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    Duration d = Durations.parse(v, path + "." + key);
    if (d.isNegative()) {
      throw error(key, "must not be negative");
    }
    return d;
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
