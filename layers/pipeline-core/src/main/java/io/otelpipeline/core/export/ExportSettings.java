package io.otelpipeline.core.export;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.Durations;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.otlp.Signal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how the OTLP/HTTP exporter sends: the {@code exporters: otlphttp} component of the
 * pipeline configuration, overridden by the {@code EXPORT_OTLP_*} environment variables.
 *
 * @param endpoints the URL per signal; empty when no backend is configured
 * @param maxRequestBytes requests larger than this are split by resource and scope before sending
 * @param breakerFailures consecutive failed exports that open the circuit breaker
 * @param breakerCooldown how long an open breaker fails fast before it lets a probe through
 */
public record ExportSettings(
    Map<Signal, URI> endpoints,
    Map<String, String> headers,
    Duration timeout,
    boolean gzip,
    RetrySettings retry,
    int maxRequestBytes,
    int breakerFailures,
    Duration breakerCooldown,
    Optional<SigV4Settings> sigV4) {

  /** The Collector's otlphttp default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** Below the 6 MB Lambda payload and the usual backend limits. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_BREAKER_FAILURES = 5;
  public static final Duration DEFAULT_BREAKER_COOLDOWN = Duration.ofSeconds(30);

  public ExportSettings {
    endpoints = Map.copyOf(endpoints);
    headers = Map.copyOf(headers);
  }

  /**
   * Retry settings as the Collector's {@code retry_on_failure} has them. The elapsed-time default
   * is shorter than the Collector's five minutes because a function invocation has a deadline;
   * data that is not sent in time stays in the stream and is retried by the next invocation.
   */
  public record RetrySettings(boolean enabled, Duration initialInterval, Duration maxInterval, Duration maxElapsedTime) {
    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_ELAPSED_TIME = Duration.ofSeconds(30);

    public static RetrySettings defaults() {
      return new RetrySettings(true, DEFAULT_INITIAL_INTERVAL, DEFAULT_MAX_INTERVAL, DEFAULT_MAX_ELAPSED_TIME);
    }
  }

  /** Signing with the function's AWS credentials; {@code service} empty means by path (xray, logs, monitoring). */
  public record SigV4Settings(String region, Optional<String> service) {
    /** The signing name of AWS's OTLP endpoint for a signal. */
    public String serviceFor(Signal signal) {
      return service.orElseGet(
          () ->
              switch (signal) {
                case TRACES -> "xray";
                case LOGS -> "logs";
                case METRICS -> "monitoring";
              });
    }
  }

  /** Reads the settings; a malformed value fails with the variable or key that holds it. */
  public static ExportSettings from(FunctionEnvironment env, PipelineConfig config) {
    Map<String, Object> otlphttp = config.component("exporters", "otlphttp").orElse(Map.of());
    String where = config.source() + ": exporters.otlphttp";

    Map<Signal, URI> endpoints = new EnumMap<>(Signal.class);
    Optional<String> envBase = env.get("EXPORT_OTLP_ENDPOINT");
    if (envBase.isPresent()) {
      for (Signal s : Signal.values()) {
        endpoints.put(s, joinPath(envBase.get(), s, "environment variable EXPORT_OTLP_ENDPOINT"));
      }
    } else {
      Optional<String> base = string(otlphttp, "endpoint");
      for (Signal s : Signal.values()) {
        String key = s.name().toLowerCase(Locale.ROOT) + "_endpoint";
        Optional<String> own = string(otlphttp, key);
        if (own.isPresent()) {
          endpoints.put(s, uri(own.get(), where + "." + key));
        } else if (base.isPresent()) {
          endpoints.put(s, joinPath(base.get(), s, where + ".endpoint"));
        }
      }
    }

    Map<String, String> headers = new LinkedHashMap<>();
    if (otlphttp.get("headers") instanceof Map<?, ?> configured) {
      configured.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
    } else if (otlphttp.get("headers") != null) {
      throw new ConfigException(where + ".headers must be a mapping of header names to values");
    }
    env.get("EXPORT_OTLP_HEADERS").ifPresent(h -> headers.putAll(parseHeaders(h)));

    Duration timeout =
        env.get("EXPORT_OTLP_TIMEOUT")
            .map(v -> Durations.parse(v, "environment variable EXPORT_OTLP_TIMEOUT"))
            .orElseGet(() -> duration(otlphttp, "timeout", where, DEFAULT_TIMEOUT));

    String compression =
        env.get("EXPORT_OTLP_COMPRESSION").or(() -> string(otlphttp, "compression")).orElse("gzip").toLowerCase(Locale.ROOT);
    if (!compression.equals("gzip") && !compression.equals("none")) {
      throw new ConfigException(
          where + ".compression (or EXPORT_OTLP_COMPRESSION): '" + compression + "' is not supported; use gzip or none");
    }

    RetrySettings retry = RetrySettings.defaults();
    Object retryConfig = otlphttp.get("retry_on_failure");
    if (retryConfig instanceof Map<?, ?> r) {
      @SuppressWarnings("unchecked")
      Map<String, Object> rs = (Map<String, Object>) r;
      String rw = where + ".retry_on_failure";
      retry =
          new RetrySettings(
              !"false".equalsIgnoreCase(String.valueOf(rs.getOrDefault("enabled", "true"))),
              duration(rs, "initial_interval", rw, RetrySettings.DEFAULT_INITIAL_INTERVAL),
              duration(rs, "max_interval", rw, RetrySettings.DEFAULT_MAX_INTERVAL),
              duration(rs, "max_elapsed_time", rw, RetrySettings.DEFAULT_MAX_ELAPSED_TIME));
    } else if (retryConfig != null) {
      throw new ConfigException(where + ".retry_on_failure must be a mapping (enabled, initial_interval, max_interval, max_elapsed_time)");
    }

    Optional<SigV4Settings> sigV4 = Optional.empty();
    String auth = env.getOrDefault("EXPORT_OTLP_AUTH", "none").toLowerCase(Locale.ROOT);
    if (auth.equals("sigv4")) {
      String region = env.get("EXPORT_OTLP_SIGV4_REGION").or(() -> env.get("AWS_REGION")).or(() -> env.get("AWS_DEFAULT_REGION"))
          .orElseThrow(() -> new ConfigException("EXPORT_OTLP_AUTH=sigv4 needs a region: set AWS_REGION or EXPORT_OTLP_SIGV4_REGION"));
      sigV4 = Optional.of(new SigV4Settings(region, env.get("EXPORT_OTLP_SIGV4_SERVICE")));
    } else if (!auth.equals("none")) {
      throw new ConfigException("environment variable EXPORT_OTLP_AUTH: '" + auth + "' is not supported; use sigv4 or none");
    }

    int maxBytes = env.getInt("EXPORT_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES);
    if (maxBytes < 1024) {
      throw new ConfigException("environment variable EXPORT_MAX_REQUEST_BYTES: " + maxBytes + " is below the minimum of 1024");
    }
    int breakerFailures = env.getInt("EXPORT_BREAKER_FAILURES", DEFAULT_BREAKER_FAILURES);
    if (breakerFailures < 1) {
      throw new ConfigException("environment variable EXPORT_BREAKER_FAILURES: " + breakerFailures + " must be at least 1");
    }
    return new ExportSettings(
        endpoints,
        headers,
        timeout,
        compression.equals("gzip"),
        retry,
        maxBytes,
        breakerFailures,
        env.getDuration("EXPORT_BREAKER_COOLDOWN", DEFAULT_BREAKER_COOLDOWN),
        sigV4);
  }

  /**
   * Parses {@code k=v,k2=v2} as the OpenTelemetry specification defines {@code OTEL_EXPORTER_OTLP_HEADERS}:
   * values are URL-decoded, surrounding whitespace is trimmed.
   */
  static Map<String, String> parseHeaders(String list) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String pair : list.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("environment variable EXPORT_OTLP_HEADERS: '" + pair.trim() + "' is not of the form name=value");
      }
      String name = pair.substring(0, eq).trim();
      // Percent-decoding only: a '+' in a token is a plus, not a space as in form encoding.
      String value = URLDecoder.decode(pair.substring(eq + 1).trim().replace("+", "%2B"), StandardCharsets.UTF_8);
      headers.put(name, value);
    }
    return headers;
  }

  private static Duration duration(Map<String, Object> settings, String key, String where, Duration fallback) {
    Object v = settings.get(key);
    return v == null ? fallback : Durations.parse(v, where + "." + key);
  }

  static URI joinPath(String base, Signal signal, String where) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return uri(b + signal.path(), where);
  }

  static URI uri(String value, String where) {
    try {
      URI u = URI.create(value);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
        throw new ConfigException(where + ": '" + value + "' is not an http(s) URL");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": '" + value + "' is not a URL: " + e.getMessage(), e);
    }
  }

  private static Optional<String> string(Map<String, Object> settings, String key) {
    Object v = settings.get(key);
    return v == null || String.valueOf(v).isBlank() ? Optional.empty() : Optional.of(String.valueOf(v).trim());
  }
}
