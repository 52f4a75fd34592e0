package io.otelpipeline.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Variables, layering and component names as the Collector resolves them. */
class PipelineConfigTest {
  private static final FunctionEnvironment ENV = new FunctionEnvironment(Map.of("HOST", "collector", "EMPTY", ""));

  private static Map<?, ?> settings(PipelineConfig config, String kind, String type) {
    return config.decode(kind, type, ConfigBlock::asMap).orElseThrow();
  }

  @Test
  void expandsVariablesInValuesOnlyAsTheCollectorDoes() {
    String yaml =
        """
        exporters:
          otlp_http:
            endpoint: http://${env:HOST}:4318          # ${env:IN_A_COMMENT}
            headers:
              x-short: ${HOST}
              x-default: ${env:MISSING_WITH_DEFAULT:-fallback}
              x-empty-beats-default: "${env:EMPTY:-fallback}"
              x-escaped: $${env:HOST} costs $$5
              x-unset: a${env:NOT_SET}b
              x-unset-again: ${NOT_SET}
              ${env:HOST}: key-not-expanded
        # processors:
        #   redaction: {hmac_key: ${env:REDACTION_KEY}}
        """;
    PipelineConfig config = PipelineConfig.parse("c.yml", yaml, ENV);

    Map<?, ?> exporter = settings(config, "exporters", ComponentCatalog.OTLP_HTTP);
    assertEquals("http://collector:4318", exporter.get("endpoint"));
    assertEquals(
        Map.of("x-short", "collector", "x-default", "fallback", "x-empty-beats-default", "", "x-escaped", "${env:HOST} costs $5",
            "x-unset", "ab", "x-unset-again", "", "${env:HOST}", "key-not-expanded"),
        exporter.get("headers"));
    assertEquals(Set.of("NOT_SET"), config.unsetVariables(), "one warning per variable; comments are not read");
    assertEquals("warning ${env:NOT_SET} is not set in the environment: expanded to an empty string", config.report().get(0));
  }

  @Test
  void anUnsupportedProviderOrNameIsRefusedNamingFileLineAndKey() {
    ConfigException provider =
        assertThrows(ConfigException.class,
            () -> PipelineConfig.parse("c.yml", "exporters:\n  otlp_http:\n    endpoint: ${file:/etc/endpoint}\n", ENV));
    assertTrue(provider.getMessage().startsWith("c.yml line 3: exporters.otlp_http.endpoint: ${file:/etc/endpoint} uses the 'file' provider"),
        provider.getMessage());
    ConfigException name =
        assertThrows(ConfigException.class, () -> PipelineConfig.parse("c.yml", "exporters:\n  otlp_http:\n    endpoint: ${env:1X}\n", ENV));
    assertTrue(name.getMessage().contains("'1X' is not a valid environment variable name"), name.getMessage());
    ConfigException yaml = assertThrows(ConfigException.class, () -> PipelineConfig.parse("c.yml", "exporters: [\n", ENV));
    assertTrue(yaml.getMessage().startsWith("c.yml: not valid YAML"), yaml.getMessage());
  }

  @Test
  void laterFilesMergeMappingsAndReplaceLists() {
    PipelineConfig config =
        PipelineConfig.parse(
            List.of(
                new PipelineConfig.ConfigFile("a.yml",
                    "exporters:\n  otlp_http:\n    endpoint: http://a:4318\n    headers: {x-a: '1', x-b: '2'}\n"
                        + "connectors:\n  span_metrics:\n    dimensions: [{name: a}, {name: b}]\n"),
                new PipelineConfig.ConfigFile("b.yml",
                    "exporters:\n  otlp_http:\n    headers: {x-b: '3'}\n"
                        + "connectors:\n  span_metrics:\n    dimensions: [{name: c}]\n    namespace: red\n")),
            ENV);

    assertEquals("a.yml,b.yml", config.source());
    Map<?, ?> exporter = settings(config, "exporters", ComponentCatalog.OTLP_HTTP);
    assertEquals("http://a:4318", exporter.get("endpoint"));
    assertEquals(Map.of("x-a", "1", "x-b", "3"), exporter.get("headers"));
    Map<?, ?> spanMetrics = settings(config, "connectors", ComponentCatalog.SPAN_METRICS);
    assertEquals(List.of(Map.of("name", "c")), spanMetrics.get("dimensions"));
    assertEquals("red", spanMetrics.get("namespace"));
  }

  @Test
  void anErrorInALayerNamesTheFileAndLineThatSetTheKey() {
    ConfigException e =
        assertThrows(ConfigException.class,
            () -> PipelineConfig.parse(
                    List.of(new PipelineConfig.ConfigFile("a.yml", "connectors:\n  span_metrics:\n    namespace: x\n"),
                        new PipelineConfig.ConfigFile("b.yml", "# layer\nconnectors:\n  span_metrics:\n    histogram: {unit: hours}\n")),
                    ENV)
                .decode("connectors", ComponentCatalog.SPAN_METRICS, io.otelpipeline.core.spanmetrics.SpanMetricsConfig::parse));
    assertEquals("b.yml line 4: connectors.span_metrics.histogram.unit: 'hours' is not ms or s", e.getMessage());
  }

  @Test
  void currentAndOlderNamesWithSuffixesAndOnlyWhatAPipelineNamesRuns() {
    String yaml =
        """
        receivers:
          otlp:
        connectors:
          service_graph/edges: {}
          spanmetrics/unused: {}
        processors:
          tail_sampling/keep: {policies: [{name: all, type: always_sample}]}
        exporters:
          otlphttp/a: {endpoint: http://a:4318}
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [tail_sampling/keep]
              exporters: [otlphttp/a, service_graph/edges]
            metrics:
              receivers: [service_graph/edges]
              exporters: [otlphttp/a]
        """;
    PipelineConfig config = PipelineConfig.parse("c.yml", yaml, ENV);
    assertEquals(List.of("service_graph/edges"), config.componentIds("connectors", ComponentCatalog.SERVICE_GRAPH));
    assertEquals(List.of(), config.componentIds("connectors", ComponentCatalog.SPAN_METRICS));
    assertEquals(List.of("tail_sampling/keep"), config.componentIds("processors", ComponentCatalog.TAIL_SAMPLING));
    assertEquals(List.of("otlphttp/a"), config.componentIds("exporters", ComponentCatalog.OTLP_HTTP));
    assertTrue(config.report().contains(
        "ignores connectors.spanmetrics/unused: no pipeline in service.pipelines names it, so the Collector would not run it either"),
        config.report().toString());
  }

  @Test
  void aPipelineNamingAnUndeclaredComponentIsRefused() {
    ConfigException e =
        assertThrows(ConfigException.class,
            () -> PipelineConfig.parse("c.yml", "exporters:\n  debug:\nservice:\n  pipelines:\n    logs:\n      receivers: [otlp]\n"
                + "      exporters: [debug]\n", ENV));
    assertEquals("c.yml line 6: service.pipelines.logs.receivers: 'otlp' is not declared under connectors or receivers", e.getMessage());
  }

  @Test
  void aPipelineWhoseExportersCannotRunIsReported() {
    PipelineConfig config =
        PipelineConfig.parse("c.yml", "receivers:\n  otlp:\nexporters:\n  otlp_grpc/jaeger: {endpoint: 'jaeger:4317', tls: {insecure: true}}\n"
            + "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [otlp_grpc/jaeger]\n", ENV);
    assertTrue(config.report().contains(
        "warning pipeline traces: none of its exporters can run here (otlp_grpc/jaeger): its traces go nowhere"), config.report().toString());
    assertTrue(config.report().stream().anyMatch(l -> l.contains("use an otlp_http exporter with endpoint http://jaeger:4318")),
        config.report().toString());
  }
}
