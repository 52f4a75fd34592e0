package io.otelpipeline.core.sampling.config;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of the YAML configuration with the path that leads to it, so every error names the
 * policy and key at fault ({@code tail_sampling.policies[errors].status_code.status_codes}).
 */
final class SettingsNode {
  private final String path;
  private final Map<String, Object> values;

  SettingsNode(String path, Map<String, Object> values) {
    this.path = path;
    this.values = values;
  }

  String path() {
    return path;
  }

  boolean has(String key) {
    return values.containsKey(key) && values.get(key) != null;
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(path + "." + key + ": " + problem);
  }

  /** Refuses keys this block does not know, as the Collector does, so a typo is not silently ignored. */
  void onlyKeys(Set<String> known) {
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

  String string(String key, String fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      throw error(key, "must be a single value, not " + describe(v));
    }
    return String.valueOf(v);
  }

  String requiredString(String key) {
    String s = string(key, null);
    if (s == null || s.isBlank()) {
      throw error(key, "is required");
    }
    return s;
  }

  long longValue(String key, long fallback) {
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
      throw error(key, "must be an integer, not '" + v + "'");
    }
  }

  long nonNegativeLong(String key, long fallback) {
    long n = longValue(key, fallback);
    if (n < 0) {
      throw error(key, "must not be negative, found " + n);
    }
    return n;
  }

  double doubleValue(String key, double fallback) {
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

  boolean bool(String key, boolean fallback) {
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
    throw error(key, "must be true or false, not '" + v + "'");
  }

  Duration duration(String key, Duration fallback) {
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

  List<String> stringList(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw error(key, "must be a list, not " + describe(v));
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw error(key, "must be a list of single values, found " + describe(item));
      }
      out.add(String.valueOf(item));
    }
    return List.copyOf(out);
  }

  /** The nested mapping under {@code key}; an absent or empty key gives an empty node. */
  @SuppressWarnings("unchecked")
  SettingsNode node(String key) {
    Object v = values.get(key);
    if (v == null) {
      return new SettingsNode(path + "." + key, Map.of());
    }
    if (!(v instanceof Map)) {
      throw error(key, "must be a mapping, not " + describe(v));
    }
    return new SettingsNode(path + "." + key, (Map<String, Object>) v);
  }

  /** The mappings listed under {@code key}, each with its path ({@code key[name]} when it has a name). */
  @SuppressWarnings("unchecked")
  List<SettingsNode> nodeList(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw error(key, "must be a list, not " + describe(v));
    }
    List<SettingsNode> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!(item instanceof Map)) {
        throw error(key + "[" + i + "]", "must be a mapping, not " + describe(item));
      }
      Map<String, Object> m = (Map<String, Object>) item;
      Object name = m.get("name");
      String label = name == null ? String.valueOf(i) : String.valueOf(name);
      out.add(new SettingsNode(path + "." + key + "[" + label + "]", m));
    }
    return out;
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
