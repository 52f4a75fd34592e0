package io.otelpipeline.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables a function was started with, as its runtime gives them (in Lambda,
 * the process environment).
 */
public record FunctionEnvironment(Map<String, String> variables) {
  public FunctionEnvironment {
    variables = Map.copyOf(variables);
  }

  public static FunctionEnvironment system() {
    return new FunctionEnvironment(System.getenv());
  }

  public Optional<String> get(String name) {
    String v = variables.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String require(String name) {
    return get(name).orElseThrow(() -> new ConfigException("environment variable " + name + " is required but not set"));
  }

  public String getOrDefault(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  public long getLong(String name, long fallback) {
    return get(name).map(v -> parseLong(name, v)).orElse(fallback);
  }

  public int getInt(String name, int fallback) {
    return (int) getLong(name, fallback);
  }

  public double getDouble(String name, double fallback) {
    return get(name).map(v -> parseDouble(name, v)).orElse(fallback);
  }

  public Duration getDuration(String name, Duration fallback) {
    return get(name).map(v -> Durations.parse(v, "environment variable " + name)).orElse(fallback);
  }

  public boolean getBoolean(String name, boolean fallback) {
    return get(name).map(v -> v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")).orElse(fallback);
  }

  private static double parseDouble(String name, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("environment variable " + name + " must be a number, not '" + v + "'");
    }
  }

  private static long parseLong(String name, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("environment variable " + name + " must be an integer, not '" + v + "'");
    }
  }
}
