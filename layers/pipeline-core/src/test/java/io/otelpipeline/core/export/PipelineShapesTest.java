package io.otelpipeline.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.otlp.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden tests, one per shape of configuration users paste: each asserts which exporter gets
 * which signal from each feed, and the whole start-up report.
 */
class PipelineShapesTest {
  private static PipelineConfig load(Map<String, String> env, String... resources) throws IOException {
    List<PipelineConfig.ConfigFile> files = new ArrayList<>();
    for (String resource : resources) {
      try (InputStream in = PipelineShapesTest.class.getResourceAsStream("/config/" + resource)) {
        files.add(new PipelineConfig.ConfigFile(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return PipelineConfig.parse(files, new FunctionEnvironment(env));
  }

  private static Map<Signal, List<String>> routes(PipelineConfig config, Map<String, String> env, Feed feed) {
    return ExportPlan.of(new FunctionEnvironment(env), config, feed).routes();
  }

  @Test
  void aLayeredGatewayConfig() throws IOException {
    Map<String, String> env = Map.of("PROMETHEUS_ADDR", "prometheus:9090");
    PipelineConfig config = load(env, "gateway.yml", "gateway-observability.yml");

    assertEquals(
        Map.of(Signal.TRACES, List.of("otlp_http/traces"), Signal.METRICS, List.of("otlp_http/prometheus"), Signal.LOGS,
            List.of("otlp_http/logs", "debug")),
        routes(config, env, Feed.OTLP_RECEIVER));
    assertEquals(
        Map.of(Signal.TRACES, List.of(), Signal.METRICS, List.of("otlp_http/prometheus"), Signal.LOGS, List.of()),
        routes(config, env, Feed.SPAN_METRICS_CONNECTORS));
    assertEquals(routes(config, env, Feed.SPAN_METRICS_CONNECTORS), routes(config, env, Feed.PROMETHEUS_RECEIVER));
    assertEquals(
        List.of(
            "traces -> otlp_http/traces (http://tracing-backend:4318/v1/traces)",
            "metrics -> otlp_http/prometheus (http://prometheus:9090/api/v1/otlp/v1/metrics)",
            "logs -> otlp_http/logs (http://log-store:3100/otlp/v1/logs), debug (debug output)"),
        ExportPlan.of(new FunctionEnvironment(env), config, Feed.OTLP_RECEIVER).describe(Feed.OTLP_RECEIVER));
    assertEquals(List.of("metrics -> otlp_http/prometheus (http://prometheus:9090/api/v1/otlp/v1/metrics)"),
        ExportPlan.of(new FunctionEnvironment(env), config, Feed.SPAN_METRICS_CONNECTORS).describe(Feed.SPAN_METRICS_CONNECTORS));
    ExportSettings prometheus = ExportSettingsTest.configured(config, env, "otlp_http/prometheus");
    assertEquals("http://prometheus:9090/api/v1/otlp/v1/metrics", prometheus.endpoints().get(Signal.METRICS).toString());
    ExportSettings traces = ExportSettingsTest.configured(config, env, "otlp_http/traces");
    assertEquals(Map.of("x-tenant", "demo"), traces.headers());
    assertEquals(false, traces.gzip());

    assertEquals(
        List.of(
            "warning ${env:GATEWAY_HOST} is not set in the environment: expanded to an empty string",
            "uses    receivers.otlp: the ingest function's OTLP/HTTP endpoint (protobuf and JSON; gRPC is not served)",
            "ignores receivers.host_metrics: only OTLP/HTTP (the ingest function) and prometheus scraping are served",
            "uses    receivers.prometheus: its scrape_configs are scraped by the target allocator and scraper functions",
            "ignores processors.batch: records are batched by the ingest function and the stream's batching window",
            "ignores processors.memory_limiter: each invocation is bounded by its Lambda memory instead",
            "ignores processors.resource_detection: only tail_sampling is run",
            "ignores processors.transform: no pipeline in service.pipelines names it, so the Collector would not run it either",
            "uses    processors.tail_sampling: the trace-sampler function keeps or drops whole traces",
            "uses    connectors.span_metrics: the span-metrics function turns every span into RED metrics",
            "uses    exporters.debug: OTLP JSON lines in the debug folder (locally) or the function's log (deployed)",
            "ignores exporters.otlp_grpc/traces: OTLP/gRPC is not run here: grpc-java and netty would add many MB and cold-start "
                + "time to every function; use an otlp_http exporter with endpoint http://tracing-backend:4318 instead (the "
                + "backend's OTLP/HTTP port)",
            "uses    exporters.otlp_http/prometheus: OTLP/HTTP to http://prometheus:9090/api/v1/otlp",
            "uses    exporters.otlp_http/logs: OTLP/HTTP to http://log-store:3100/otlp",
            "uses    exporters.otlp_http/traces: OTLP/HTTP to http://tracing-backend:4318",
            "ignores extensions.health_check: extensions run inside a Collector process; Lambda has none to host them",
            "ignores service.extensions: each function reports its own telemetry (EMF) and hosts no extensions",
            "pipeline traces: otlp -> memory_limiter, tail_sampling, batch -> otlp_grpc/traces, otlp_http/traces, span_metrics",
            "pipeline metrics: host_metrics, prometheus, otlp, span_metrics -> memory_limiter, resource_detection, batch -> "
                + "otlp_http/prometheus",
            "pipeline logs: otlp -> memory_limiter, resource_detection, batch -> otlp_http/logs, debug"),
        config.report());
  }

  @Test
  void aMinimalOtlpHttpConfig() throws IOException {
    Map<String, String> env = Map.of("BACKEND_TOKEN", "s3cret");
    PipelineConfig config = load(env, "minimal.yml");

    List<String> everywhere = List.of("otlp_http");
    assertEquals(Map.of(Signal.TRACES, everywhere, Signal.METRICS, everywhere, Signal.LOGS, everywhere),
        routes(config, env, Feed.OTLP_RECEIVER));
    assertEquals(Map.of(Signal.TRACES, List.of(), Signal.METRICS, List.of(), Signal.LOGS, List.of()),
        routes(config, env, Feed.SPAN_METRICS_CONNECTORS), "no pipeline receives from a span metrics connector");
    assertEquals(List.of("metrics -> not exported: no metrics pipeline takes them from the span_metrics or service_graph connector "
            + "with an exporter this pipeline runs"),
        ExportPlan.of(new FunctionEnvironment(env), config, Feed.SPAN_METRICS_CONNECTORS).describe(Feed.SPAN_METRICS_CONNECTORS));
    assertEquals(Map.of("authorization", "Bearer s3cret"), ExportSettingsTest.configured(config, env, "otlp_http").headers());
    assertEquals(
        List.of(
            "uses    receivers.otlp: the ingest function's OTLP/HTTP endpoint (protobuf and JSON; gRPC is not served)",
            "uses    exporters.otlp_http: OTLP/HTTP to https://otlp.backend.example:4318",
            "pipeline traces: otlp -> otlp_http",
            "pipeline metrics: otlp -> otlp_http",
            "pipeline logs: otlp -> otlp_http"),
        config.report());
  }

  @Test
  void twoExportersPerPipeline() throws IOException {
    PipelineConfig config = load(Map.of(), "two-exporters.yml");

    assertEquals(
        Map.of(
            Signal.TRACES, List.of("otlphttp/primary", "otlp_http/secondary"),
            Signal.METRICS, List.of("otlphttp/primary", "otlp_http/secondary"),
            Signal.LOGS, List.of("otlp_http/secondary", "otlphttp/primary")),
        routes(config, Map.of(), Feed.OTLP_RECEIVER));
    assertEquals(Map.of(Signal.TRACES, List.of(), Signal.METRICS, List.of("otlp_http/secondary"), Signal.LOGS, List.of()),
        routes(config, Map.of(), Feed.SPAN_METRICS_CONNECTORS));
    ExportSettings primary = ExportSettingsTest.configured(config, Map.of(), "otlphttp/primary");
    assertEquals(ExportSettings.Encoding.JSON, primary.encoding());
    ExportSettings secondary = ExportSettingsTest.configured(config, Map.of(), "otlp_http/secondary");
    assertEquals(false, secondary.retry().enabled());
    assertEquals("https://secondary.example/v1/logs", secondary.endpoints().get(Signal.LOGS).toString());

    assertEquals(
        List.of(
            "uses    receivers.otlp: the ingest function's OTLP/HTTP endpoint (protobuf and JSON; gRPC is not served)",
            "uses    connectors.spanmetrics: the span-metrics function turns every span into RED metrics",
            "uses    connectors.servicegraph: the span-metrics function pairs client and server spans into service graph metrics",
            "uses    exporters.otlphttp/primary: OTLP/HTTP to https://primary.example:4318",
            "uses    exporters.otlp_http/secondary: OTLP/HTTP to traces https://secondary.example/v1/traces, metrics "
                + "https://secondary.example/v1/metrics, logs https://secondary.example/v1/logs",
            "pipeline traces: otlp -> otlphttp/primary, otlp_http/secondary, spanmetrics, servicegraph",
            "pipeline metrics: otlp -> otlphttp/primary, otlp_http/secondary",
            "pipeline metrics/red: spanmetrics, servicegraph -> otlp_http/secondary",
            "pipeline logs: otlp -> otlp_http/secondary, otlphttp/primary"),
        config.report());
    assertEquals(List.of("exporters.otlp_http/secondary.sending_queue has no effect here: the Kinesis stream is the queue: unsent "
            + "records stay in it and are retried"),
        ExportPlan.of(new FunctionEnvironment(Map.of()), config, Feed.OTLP_RECEIVER).notes());
  }
}
