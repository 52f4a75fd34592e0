package io.otelpipeline.core.export;

import io.otelpipeline.core.config.ConfigBlock;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.Durations;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.otlp.Signal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how one OTLP/HTTP exporter sends: an {@code otlp_http} (or {@code otlphttp}) component
 * of the pipeline configuration, or the {@code EXPORT_OTLP_*} environment variables, which also
 * override the headers, timeout, compression and signing of configured exporters.
 *
 * @param exporterId the component id, the {@code exporter} dimension of the exporter's telemetry
 * @param endpoints the URL per signal; a signal without one is refused
 * @param maxRequestBytes requests larger than this are split by resource and scope before sending
 * @param breakerFailures consecutive failed exports that open the circuit breaker
 * @param breakerCooldown how long an open breaker fails fast before it lets a probe through
 * @param notes keys accepted but with no effect here, with the reason, for the start-up report
 */
public record ExportSettings(
    String exporterId,
    Map<Signal, URI> endpoints,
    Map<String, String> headers,
    Duration timeout,
    boolean gzip,
    Encoding encoding,
    RetrySettings retry,
    Optional<TlsSettings> tls,
    int maxRequestBytes,
    int breakerFailures,
    Duration breakerCooldown,
    Optional<SigV4Settings> sigV4,
    List<String> notes) {

  /** The exporter id of the exporter the {@code EXPORT_OTLP_*} variables configure, as dashboards and alarms know it. */
  public static final String ENVIRONMENT_EXPORTER_ID = "otlphttp";
  /** The Collector's otlphttp default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** Below the 6 MB Lambda payload and the usual backend limits. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_BREAKER_FAILURES = 5;
  public static final Duration DEFAULT_BREAKER_COOLDOWN = Duration.ofSeconds(30);

  private static final Set<String> KEYS =
      Set.of("endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint", "headers", "compression", "timeout", "encoding",
          "retry_on_failure", "tls");
  /** Keys of the Collector's otlphttp exporter that have no effect in a function, with the reason. */
  private static final Map<String, String> NOT_APPLICABLE =
      Map.ofEntries(
          Map.entry("sending_queue", "the Kinesis stream is the queue: unsent records stay in it and are retried"),
          Map.entry("read_buffer_size", "the JDK HTTP client sizes its own buffers"),
          Map.entry("write_buffer_size", "the JDK HTTP client sizes its own buffers"),
          Map.entry("max_idle_conns", "one invocation sends one request at a time"),
          Map.entry("max_idle_conns_per_host", "one invocation sends one request at a time"),
          Map.entry("max_conns_per_host", "one invocation sends one request at a time"),
          Map.entry("idle_conn_timeout", "the JDK HTTP client keeps its own connection pool"),
          Map.entry("disable_keep_alives", "the JDK HTTP client keeps its own connection pool"),
          Map.entry("http2_read_idle_timeout", "requests are sent over HTTP/1.1"),
          Map.entry("http2_ping_timeout", "requests are sent over HTTP/1.1"),
          Map.entry("proxy_url", "a function reaches its backend directly (or through its VPC's routing)"),
          Map.entry("auth", "authenticator extensions do not run here; put credentials in headers (or EXPORT_OTLP_AUTH=sigv4)"));

  public ExportSettings {
    endpoints = Map.copyOf(endpoints);
    headers = Map.copyOf(headers);
    notes = List.copyOf(notes);
  }

  /** The request body format, as the Collector's {@code encoding}. */
  public enum Encoding {
    PROTO("application/x-protobuf"),
    JSON("application/json");

    private final String contentType;

    Encoding(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }
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

  /**
   * The TLS settings of the Collector's client config that apply to the JDK's HTTP client: the
   * certificate authorities to trust (PEM, from {@code ca_file} or {@code ca_pem}) and the TLS
   * versions allowed.
   */
  public record TlsSettings(Optional<String> caPem, Optional<String> minVersion, Optional<String> maxVersion) {}

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

  /** The exporter the {@code EXPORT_OTLP_*} variables describe; its endpoints are empty without EXPORT_OTLP_ENDPOINT. */
  public static ExportSettings fromEnvironment(FunctionEnvironment env) {
    return fromEnvironment(env, ConfigBlock.of("exporters." + ENVIRONMENT_EXPORTER_ID, Map.of()));
  }

  /**
   * The exporter the {@code EXPORT_OTLP_*} variables describe, with the other settings of an
   * {@code otlp_http} block: what a config without an endpoint of its own gets from
   * EXPORT_OTLP_ENDPOINT.
   */
  public static ExportSettings fromEnvironment(FunctionEnvironment env, ConfigBlock block) {
    Map<Signal, URI> endpoints = new EnumMap<>(Signal.class);
    env.get("EXPORT_OTLP_ENDPOINT").ifPresent(base -> {
      for (Signal s : Signal.values()) {
        endpoints.put(s, joinPath(base, s, "environment variable EXPORT_OTLP_ENDPOINT"));
      }
    });
    return decode(env, ENVIRONMENT_EXPORTER_ID, endpoints, block);
  }

  /**
   * The settings of one {@code otlp_http} exporter component, with the {@code EXPORT_OTLP_*}
   * overrides applied; a malformed value fails naming its key.
   */
  public static ExportSettings fromComponent(FunctionEnvironment env, String exporterId, ConfigBlock block) {
    Map<Signal, URI> endpoints = new EnumMap<>(Signal.class);
    Optional<String> base = block.optionalString("endpoint").filter(s -> !s.isBlank());
    for (Signal s : Signal.values()) {
      String key = s.name().toLowerCase(Locale.ROOT) + "_endpoint";
      Optional<String> own = block.optionalString(key).filter(v -> !v.isBlank());
      if (own.isPresent()) {
        endpoints.put(s, uri(own.get().trim(), block.path() + "." + key));
      } else if (base.isPresent()) {
        endpoints.put(s, joinPath(base.get().trim(), s, block.path() + ".endpoint"));
      }
    }
    if (endpoints.isEmpty()) {
      throw block.error("endpoint", "is required (or traces_endpoint, metrics_endpoint, logs_endpoint)");
    }
    return decode(env, exporterId, endpoints, block);
  }

  private static ExportSettings decode(FunctionEnvironment env, String exporterId, Map<Signal, URI> endpoints, ConfigBlock block) {
    Set<String> known = new HashSet<>(KEYS);
    known.addAll(NOT_APPLICABLE.keySet());
    block.onlyKeys(known);
    List<String> notes = block.notApplicable(NOT_APPLICABLE);
    Map<String, String> headers = new LinkedHashMap<>();
    ConfigBlock headerBlock = block.block("headers");
    for (String name : headerBlock.keys()) {
      headers.put(name, headerBlock.string(name, ""));
    }
    String encodingText = block.string("encoding", "proto").toLowerCase(Locale.ROOT);
    Encoding encoding =
        switch (encodingText) {
          case "proto" -> Encoding.PROTO;
          case "json" -> Encoding.JSON;
          default -> throw block.error("encoding", "'" + encodingText + "' is not proto or json");
        };
    ConfigBlock retryBlock = block.block("retry_on_failure");
    retryBlock.onlyKeys(Set.of("enabled", "initial_interval", "max_interval", "max_elapsed_time", "multiplier", "randomization_factor"));
    RetrySettings retry =
        new RetrySettings(
            retryBlock.bool("enabled", true),
            retryBlock.duration("initial_interval", RetrySettings.DEFAULT_INITIAL_INTERVAL),
            retryBlock.duration("max_interval", RetrySettings.DEFAULT_MAX_INTERVAL),
            retryBlock.duration("max_elapsed_time", RetrySettings.DEFAULT_MAX_ELAPSED_TIME));
    return withEnvironment(env, exporterId, endpoints, headers, block.duration("timeout", DEFAULT_TIMEOUT),
        block.string("compression", "gzip"), encoding, retry, tls(block.block("tls")), notes);
  }

  private static Optional<TlsSettings> tls(ConfigBlock tls) {
    tls.onlyKeys(Set.of("insecure", "ca_file", "ca_pem", "min_version", "max_version", "insecure_skip_verify", "cert_file", "key_file",
        "cert_pem", "key_pem", "server_name_override", "reload_interval", "include_system_ca_certs_pool", "cipher_suites"));
    for (String unsupported : List.of("insecure_skip_verify", "cert_file", "key_file", "cert_pem", "key_pem", "server_name_override")) {
      if (tls.has(unsupported) && !(unsupported.equals("insecure_skip_verify") && !tls.bool(unsupported, false))) {
        throw tls.error(unsupported, "is not supported by this pipeline's HTTP client (server verification and client "
            + "certificates other than trusted CAs are not configurable); trust the backend's CA with ca_file or ca_pem");
      }
    }
    if (tls.has("ca_file") && tls.has("ca_pem")) {
      throw tls.error("ca_pem", "use either ca_file or ca_pem, not both");
    }
    Optional<String> caPem = tls.optionalString("ca_pem");
    if (tls.has("ca_file")) {
      String file = tls.requiredString("ca_file");
      try {
        caPem = Optional.of(java.nio.file.Files.readString(java.nio.file.Path.of(file), StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw tls.error("ca_file", "cannot read " + file + ": " + e.getMessage());
      }
    }
    Optional<String> min = tls.optionalString("min_version").map(v -> tlsVersion(tls, "min_version", v));
    Optional<String> max = tls.optionalString("max_version").map(v -> tlsVersion(tls, "max_version", v));
    if (caPem.isEmpty() && min.isEmpty() && max.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsSettings(caPem, min, max));
  }

  private static String tlsVersion(ConfigBlock tls, String key, String value) {
    return switch (value.trim()) {
      case "1.2" -> "TLSv1.2";
      case "1.3" -> "TLSv1.3";
      default -> throw tls.error(key, "'" + value + "' is not a TLS version this pipeline offers: 1.2 or 1.3");
    };
  }

  private static ExportSettings withEnvironment(
      FunctionEnvironment env,
      String exporterId,
      Map<Signal, URI> endpoints,
      Map<String, String> headers,
      Duration configuredTimeout,
      String configuredCompression,
      Encoding encoding,
      RetrySettings retry,
      Optional<TlsSettings> tls,
      List<String> notes) {
    env.get("EXPORT_OTLP_HEADERS").ifPresent(h -> headers.putAll(parseHeaders(h)));
    Duration timeout =
        env.get("EXPORT_OTLP_TIMEOUT").map(v -> Durations.parse(v, "environment variable EXPORT_OTLP_TIMEOUT")).orElse(configuredTimeout);
    String compression = env.get("EXPORT_OTLP_COMPRESSION").orElse(configuredCompression).toLowerCase(Locale.ROOT);
    if (!compression.equals("gzip") && !compression.equals("none")) {
      throw new ConfigException("exporters." + exporterId + ".compression (or EXPORT_OTLP_COMPRESSION): '" + compression
          + "' is not supported; use gzip or none");
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
        exporterId,
        endpoints,
        headers,
        timeout,
        compression.equals("gzip"),
        encoding,
        retry,
        tls,
        maxBytes,
        breakerFailures,
        env.getDuration("EXPORT_BREAKER_COOLDOWN", DEFAULT_BREAKER_COOLDOWN),
        sigV4,
        notes);
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
}
