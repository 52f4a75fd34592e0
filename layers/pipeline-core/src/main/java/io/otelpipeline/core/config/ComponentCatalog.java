package io.otelpipeline.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * The component types this pipeline knows, under every name the Collector accepts for them: the
 * current snake_case names ({@code span_metrics}, {@code otlp_http}) and the older ones
 * ({@code spanmetrics}, {@code otlphttp}), each usable with a {@code /name} suffix.
 */
public final class ComponentCatalog {
  /** Canonical types, as the rest of the pipeline asks for them. */
  public static final String OTLP_RECEIVER = "otlp";
  public static final String PROMETHEUS_RECEIVER = "prometheus";
  public static final String TAIL_SAMPLING = "tail_sampling";
  public static final String SPAN_METRICS = "spanmetrics";
  public static final String SERVICE_GRAPH = "servicegraph";
  public static final String OTLP_HTTP = "otlphttp";
  public static final String OTLP_GRPC = "otlp_grpc";
  public static final String DEBUG = "debug";

  private static final Map<String, Map<String, String>> ALIASES =
      Map.of(
          "receivers", Map.of("otlp", OTLP_RECEIVER, "prometheus", PROMETHEUS_RECEIVER),
          "processors", Map.of("tail_sampling", TAIL_SAMPLING),
          "connectors",
              Map.of("span_metrics", SPAN_METRICS, "spanmetrics", SPAN_METRICS, "service_graph", SERVICE_GRAPH, "servicegraph", SERVICE_GRAPH),
          "exporters",
              Map.of("otlp_http", OTLP_HTTP, "otlphttp", OTLP_HTTP, "otlp_grpc", OTLP_GRPC, "otlp", OTLP_GRPC, "debug", DEBUG));

  private static final Map<String, String> SERVED_BY =
      Map.of(
          "receivers/" + OTLP_RECEIVER, "the ingest function's OTLP/HTTP endpoint (protobuf and JSON; gRPC is not served)",
          "receivers/" + PROMETHEUS_RECEIVER, "its scrape_configs are scraped by the target allocator and scraper functions",
          "processors/" + TAIL_SAMPLING, "the trace-sampler function keeps or drops whole traces",
          "connectors/" + SPAN_METRICS, "the span-metrics function turns every span into RED metrics",
          "connectors/" + SERVICE_GRAPH, "the span-metrics function pairs client and server spans into service graph metrics");

  private ComponentCatalog() {}

  /** The type part of a component id: {@code otlp_http} for {@code otlp_http/jaeger}. */
  public static String typeOf(String id) {
    int slash = id.indexOf('/');
    return slash < 0 ? id : id.substring(0, slash);
  }

  /** The canonical type of a component id of this kind, when the pipeline knows the type. */
  public static Optional<String> canonicalType(String kind, String id) {
    return Optional.ofNullable(ALIASES.getOrDefault(kind, Map.of()).get(typeOf(id)));
  }

  /** What runs a receiver, processor or connector the pipeline implements; empty for the rest. */
  static Optional<String> servedBy(String kind, String canonicalType) {
    return Optional.ofNullable(SERVED_BY.get(kind + "/" + canonicalType));
  }

  /** Why a component of a type this pipeline does not run is ignored. */
  static String reasonIgnored(String kind, String type) {
    return switch (kind) {
      case "extensions" -> "extensions run inside a Collector process; Lambda has none to host them";
      case "receivers" -> "only OTLP/HTTP (the ingest function) and prometheus scraping are served";
      case "exporters" -> "only otlp_http (otlphttp) and debug exporters are run";
      case "connectors" -> "only span_metrics and service_graph connectors are run";
      case "processors" ->
          switch (type) {
            case "batch" -> "records are batched by the ingest function and the stream's batching window";
            case "memory_limiter" -> "each invocation is bounded by its Lambda memory instead";
            default -> "only tail_sampling is run";
          };
      default -> "not a component section this pipeline reads";
    };
  }
}
