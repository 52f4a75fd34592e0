package io.otelpipeline.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.export.TestOtlpServer.Reply;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.testing.FolderRuntime;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every exporter a pipeline names gets its signal, each with its own settings and telemetry. */
class FanOutExporterTest {
  private TestOtlpServer primary;
  private TestOtlpServer secondary;
  private final RecordingTelemetry telemetry = new RecordingTelemetry();
  private SignalExporter exporter;

  @BeforeEach
  void start() {
    primary = TestOtlpServer.start(Reply.ok());
    secondary = TestOtlpServer.start(Reply.ok());
    String yaml =
        """
        receivers:
          otlp:
        exporters:
          otlp_http/primary:
            endpoint: %s
            encoding: json
            retry_on_failure: {enabled: false}
          otlp_http/secondary:
            endpoint: %s
            compression: none
            retry_on_failure: {enabled: false}
        service:
          pipelines:
            logs:
              receivers: [otlp]
              exporters: [otlp_http/primary, otlp_http/secondary]
            metrics:
              receivers: [otlp]
              exporters: [otlp_http/secondary]
        """.formatted(primary.baseUrl(), secondary.baseUrl());
    FunctionEnvironment env = new FunctionEnvironment(Map.of());
    exporter = new FolderRuntime(Map.of()).exporter(PipelineConfig.parse("fan-out.yml", yaml, env), telemetry, Feed.OTLP_RECEIVER);
  }

  @AfterEach
  void stop() {
    primary.close();
    secondary.close();
  }

  @Test
  void eachExporterOfThePipelineGetsTheSignalWithItsOwnSettings() {
    assertEquals(ExportResult.success(), exporter.export(Signal.LOGS, OtlpSamples.logs(2, 3).toByteArray(), 6));

    assertEquals(1, primary.received().size());
    assertEquals("/v1/logs", primary.received().get(0).path());
    assertEquals("application/json", primary.received().get(0).header("Content-Type"));
    assertTrue(new String(primary.received().get(0).body(), StandardCharsets.UTF_8).startsWith("{"), "OTLP/JSON body");
    assertEquals(1, secondary.received().size());
    assertEquals("application/x-protobuf", secondary.received().get(0).header("Content-Type"));
    assertEquals(null, secondary.received().get(0).header("Content-Encoding"), "compression: none");
    assertEquals(6, telemetry.counter("otelcol_exporter_sent_log_records", Map.of("exporter", "otlp_http/primary")));
    assertEquals(6, telemetry.counter("otelcol_exporter_sent_log_records", Map.of("exporter", "otlp_http/secondary")));

    assertEquals(ExportResult.success(), exporter.export(Signal.METRICS, OtlpSamples.metrics(1, 2).toByteArray(), 2));
    assertEquals(1, primary.received().size(), "metrics go only to the metrics pipeline's exporter");
    assertEquals(2, secondary.received().size());
  }

  @Test
  void theWorstResultWinsSoWhatOneBackendMissedIsOfferedAgain() {
    secondary.script(Reply.status(503));
    assertEquals(ExportResult.Outcome.RETRYABLE, exporter.export(Signal.LOGS, OtlpSamples.logs(1, 1).toByteArray(), 1).outcome());
    assertEquals(1, primary.received().size(), "the primary took it; the retry will send it there again");

    secondary.script(Reply.status(400));
    assertEquals(ExportResult.Outcome.PERMANENT, exporter.export(Signal.LOGS, OtlpSamples.logs(1, 1).toByteArray(), 1).outcome());
  }

  @Test
  void aSignalNoPipelineTakesIsCountedAsNotExported() {
    assertEquals(ExportResult.success(), exporter.export(Signal.TRACES, new byte[0], 4));
    assertEquals(0, primary.received().size() + secondary.received().size());
    assertEquals(4, telemetry.counter("otelpipeline_exporter_not_exported_spans"));
  }
}
