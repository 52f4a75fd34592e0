package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.OtlpJson;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.telemetry.Telemetry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * The exporter used when no backend is configured: every request becomes one line of OTLP/JSON,
 * in a file per signal ({@code traces.jsonl}, {@code metrics.jsonl}, {@code logs.jsonl}) or, when
 * deployed, in the function's log.
 */
final class DebugExporter implements SignalExporter {
  private static final Map<String, String> DIMENSIONS = Map.of("exporter", "debug");

  private final Path folder;
  private final PrintStream log;
  private final Telemetry telemetry;

  private DebugExporter(Path folder, PrintStream log, Telemetry telemetry) {
    this.folder = folder;
    this.log = log;
    this.telemetry = telemetry;
  }

  /** Appends to one file per signal under {@code folder}, creating it when needed. */
  static DebugExporter toFolder(Path folder, Telemetry telemetry) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("debug exporter: cannot create the folder " + folder + ": " + e.getMessage(), e);
    }
    return new DebugExporter(folder, null, telemetry);
  }

  /** Writes each request as one line to {@code log} (a Lambda function's stdout goes to its log). */
  static DebugExporter toLog(PrintStream log, Telemetry telemetry) {
    return new DebugExporter(null, log, telemetry);
  }

  /** The file that receives a signal's lines. */
  static Path file(Path folder, Signal signal) {
    return folder.resolve(signal.name().toLowerCase(Locale.ROOT) + ".jsonl");
  }

  @Override
  public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount) {
    String line;
    try {
      line = OtlpJson.print(OtlpMessages.parse(signal, otlpRequest));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      telemetry.count("otelcol_exporter_send_failed_" + signal.itemName(), itemCount, DIMENSIONS);
      return ExportResult.permanent("not a valid OTLP " + signal.name().toLowerCase(Locale.ROOT) + " request: " + e.getMessage());
    }
    if (log != null) {
      log.println(line);
    } else {
      try {
        append(file(folder, signal), line);
      } catch (IOException e) {
        telemetry.count("otelcol_exporter_send_failed_" + signal.itemName(), itemCount, DIMENSIONS);
        return ExportResult.retryable("debug exporter: cannot write " + file(folder, signal) + ": " + e.getMessage());
      }
    }
    telemetry.count("otelcol_exporter_sent_" + signal.itemName(), itemCount, DIMENSIONS);
    return ExportResult.success();
  }

  private static synchronized void append(Path file, String line) throws IOException {
    Files.writeString(
        file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  @Override
  public String toString() {
    return log != null ? "debug exporter (OTLP JSON lines in the function's log)" : "debug exporter (OTLP JSON lines under " + folder + ")";
  }
}
