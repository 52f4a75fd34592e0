package io.otelpipeline.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.otlp.OtlpJson;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.testing.FolderDebugOutput;
import io.otelpipeline.core.testing.FolderRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugExporterTest {
  @TempDir Path folder;

  @Test
  void withNoEndpointEachRequestBecomesOneJsonLineInTheSignalsFile() throws Exception {
    RecordingTelemetry telemetry = new RecordingTelemetry();
    SignalExporter exporter =
        new FolderRuntime(Map.of("EXPORT_DEBUG_DIR", folder.toString())).exporter(PipelineConfig.empty(), telemetry, Feed.OTLP_RECEIVER);
    ExportLogsServiceRequest first = OtlpSamples.logs(2, 3);
    ExportLogsServiceRequest second = OtlpSamples.logs(1, 1);

    assertEquals(ExportResult.success(), exporter.export(Signal.LOGS, first.toByteArray(), 6));
    assertEquals(ExportResult.success(), exporter.export(Signal.LOGS, second.toByteArray(), 1));
    assertEquals(ExportResult.success(), exporter.export(Signal.METRICS, OtlpSamples.metrics(1, 2).toByteArray(), 2));

    List<String> lines = Files.readAllLines(folder.resolve("logs.jsonl"));
    assertEquals(2, lines.size());
    ExportLogsServiceRequest.Builder parsed = ExportLogsServiceRequest.newBuilder();
    OtlpJson.merge(lines.get(0).getBytes(StandardCharsets.UTF_8), parsed);
    assertEquals(first, parsed.build());
    JsonNode metrics = new ObjectMapper().readTree(Files.readAllLines(folder.resolve("metrics.jsonl")).get(0));
    assertEquals("queue.depth", metrics.at("/resourceMetrics/0/scopeMetrics/0/metrics/0/name").asText());
    assertEquals(7, telemetry.counter("otelcol_exporter_sent_log_records"));
    assertEquals(2, telemetry.counter("otelcol_exporter_sent_metric_points"));
  }

  @Test
  void deployedItWritesToTheFunctionsLog() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    DebugExporter exporter = new DebugExporter(DebugOutput.log(new PrintStream(log, true, StandardCharsets.UTF_8)), new RecordingTelemetry());

    exporter.export(Signal.METRICS, OtlpSamples.metrics(1, 1).toByteArray(), 1);

    String out = log.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("{\"resourceMetrics\""), out);
    assertEquals(1, out.lines().count());
  }

  @Test
  void bytesThatAreNotAnOtlpRequestArePermanent() {
    DebugExporter exporter = new DebugExporter(new FolderDebugOutput(folder), new RecordingTelemetry());
    ExportResult result = exporter.export(Signal.TRACES, new byte[] {(byte) 0xFF, 0x01, 0x02}, 1);
    assertEquals(ExportResult.Outcome.PERMANENT, result.outcome());
    assertTrue(result.message().contains("not a valid OTLP traces request"), result.message());
  }
}
