package io.otelpipeline.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.otlp.Signal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportSettingsTest {
  private static final String CONFIG =
      """
      exporters:
        otlphttp/backend:
          endpoint: https://otlp.example.com:4318/
          logs_endpoint: https://logs.example.com/ingest/otlp
          headers:
            authorization: Bearer ${env:BACKEND_TOKEN}
          timeout: 12s
          compression: none
          retry_on_failure:
            enabled: true
            initial_interval: 1s
            max_interval: 10s
            max_elapsed_time: 45s
      """;

  /** The settings of exporter {@code id} as the export plan decodes them. */
  static ExportSettings configured(PipelineConfig config, Map<String, String> env, String id) {
    ExportPlan plan = ExportPlan.of(new FunctionEnvironment(env), config, Feed.OTLP_RECEIVER);
    return ((ExportPlan.OtlpHttp) plan.exporters().get(id)).settings();
  }

  private static PipelineConfig config(Map<String, String> env) {
    return PipelineConfig.parse("pipeline.yaml", CONFIG, new FunctionEnvironment(env));
  }

  @Test
  void decodesTheCollectorsOtlphttpExporter() {
    Map<String, String> env = Map.of("BACKEND_TOKEN", "t0k");
    ExportSettings settings = configured(config(env), env, "otlphttp/backend");

    ExportSettings expected =
        new ExportSettings(
            "otlphttp/backend",
            Map.of(
                Signal.TRACES, URI.create("https://otlp.example.com:4318/v1/traces"),
                Signal.METRICS, URI.create("https://otlp.example.com:4318/v1/metrics"),
                Signal.LOGS, URI.create("https://logs.example.com/ingest/otlp")),
            Map.of("authorization", "Bearer t0k"),
            Duration.ofSeconds(12),
            false,
            ExportSettings.Encoding.PROTO,
            new ExportSettings.RetrySettings(true, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(45)),
            Optional.empty(),
            ExportSettings.DEFAULT_MAX_REQUEST_BYTES,
            ExportSettings.DEFAULT_BREAKER_FAILURES,
            ExportSettings.DEFAULT_BREAKER_COOLDOWN,
            Optional.empty(),
            List.of());
    assertEquals(expected, settings);
  }

  @Test
  void theEnvironmentsEndpointTakesEverySignalWithTheConfiguredExportersOtherSettings() {
    Map<String, String> env =
        Map.of(
            "BACKEND_TOKEN", "t0k",
            "EXPORT_OTLP_ENDPOINT", "http://collector:4318",
            "EXPORT_OTLP_HEADERS", "authorization=Basic%20YWxhZGRpbjpvcGVuc2VzYW1l,x-scope=a%2Cb",
            "EXPORT_OTLP_TIMEOUT", "3s",
            "EXPORT_OTLP_COMPRESSION", "gzip");
    ExportPlan plan = ExportPlan.of(new FunctionEnvironment(env), config(env), Feed.OTLP_RECEIVER);
    assertEquals(Map.of(Signal.TRACES, List.of("otlphttp"), Signal.METRICS, List.of("otlphttp"), Signal.LOGS, List.of("otlphttp")),
        plan.routes());
    ExportSettings settings = ((ExportPlan.OtlpHttp) plan.exporters().get("otlphttp")).settings();

    assertEquals(URI.create("http://collector:4318/v1/logs"), settings.endpoints().get(Signal.LOGS));
    assertEquals(URI.create("http://collector:4318/v1/traces"), settings.endpoints().get(Signal.TRACES));
    assertEquals(Map.of("authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "x-scope", "a,b"), settings.headers());
    assertEquals(Duration.ofSeconds(3), settings.timeout());
    assertTrue(settings.gzip());
    assertEquals(new ExportSettings.RetrySettings(true, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(45)),
        settings.retry(), "from exporters.otlphttp/backend");

    Map<String, String> overridesOnly = Map.of("BACKEND_TOKEN", "t0k", "EXPORT_OTLP_TIMEOUT", "3s", "EXPORT_OTLP_HEADERS", "x-scope=a");
    ExportSettings configured = configured(config(overridesOnly), overridesOnly, "otlphttp/backend");
    assertEquals(URI.create("https://logs.example.com/ingest/otlp"), configured.endpoints().get(Signal.LOGS));
    assertEquals(Map.of("authorization", "Bearer t0k", "x-scope", "a"), configured.headers());
    assertEquals(Duration.ofSeconds(3), configured.timeout());
  }

  @Test
  void nothingConfiguredMeansNoEndpoints() {
    ExportSettings settings = ExportSettings.fromEnvironment(new FunctionEnvironment(Map.of()));
    assertTrue(settings.endpoints().isEmpty());
    assertTrue(settings.gzip());
    assertEquals(ExportSettings.DEFAULT_TIMEOUT, settings.timeout());
    assertEquals(ExportSettings.RetrySettings.defaults(), settings.retry());
  }

  @Test
  void malformedValuesNameTheirSource() {
    record Case(Map<String, String> env, String expected) {}
    for (Case c :
        new Case[] {
          new Case(Map.of("EXPORT_OTLP_ENDPOINT", "collector:4318"), "EXPORT_OTLP_ENDPOINT"),
          new Case(Map.of("EXPORT_OTLP_ENDPOINT", "http://c:4318", "EXPORT_OTLP_HEADERS", "novalue"), "'novalue' is not of the form name=value"),
          new Case(Map.of("EXPORT_OTLP_ENDPOINT", "http://c:4318", "EXPORT_OTLP_TIMEOUT", "soon"), "EXPORT_OTLP_TIMEOUT"),
          new Case(Map.of("EXPORT_OTLP_ENDPOINT", "http://c:4318", "EXPORT_OTLP_COMPRESSION", "zstd"), "'zstd' is not supported"),
          new Case(Map.of("EXPORT_OTLP_ENDPOINT", "http://c:4318", "EXPORT_OTLP_AUTH", "oauth"), "EXPORT_OTLP_AUTH"),
          new Case(Map.of("EXPORT_OTLP_ENDPOINT", "http://c:4318", "EXPORT_MAX_REQUEST_BYTES", "10"), "EXPORT_MAX_REQUEST_BYTES"),
        }) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> ExportSettings.fromEnvironment(new FunctionEnvironment(c.env())), c.toString());
      assertTrue(e.getMessage().contains(c.expected()), e.getMessage());
    }
  }

  @Test
  void aMalformedConfigKeyIsNamed() {
    PipelineConfig config =
        PipelineConfig.parse("pipeline.yaml", "exporters:\n  otlp_http/b:\n    endpoint: http://c:4318\n    timeout: later\n", new FunctionEnvironment(Map.of()));
    ConfigException e = assertThrows(ConfigException.class, () -> configured(config, Map.of(), "otlp_http/b"));
    assertTrue(e.getMessage().startsWith("pipeline.yaml line 4: exporters.otlp_http/b.timeout"), e.getMessage());
  }
}
