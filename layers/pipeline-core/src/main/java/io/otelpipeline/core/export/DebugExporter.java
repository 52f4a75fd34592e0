package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.OtlpJson;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.telemetry.Telemetry;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The exporter used when no backend is configured: every request becomes one line of OTLP/JSON
 * in the runtime's {@link DebugOutput} (deployed, the function's log).
 */
final class DebugExporter implements SignalExporter {
  private static final Map<String, String> DIMENSIONS = Map.of("exporter", "debug");

  private final DebugOutput output;
  private final Telemetry telemetry;

  DebugExporter(DebugOutput output, Telemetry telemetry) {
    this.output = output;
    this.telemetry = telemetry;
  }

  @Override
  public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount) {
    String line;
    try {
      line = OtlpJson.print(OtlpMessages.parse(signal, otlpRequest));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      telemetry.count(ExporterInstruments.sendFailed(signal), itemCount, DIMENSIONS);
      return ExportResult.permanent("not a valid OTLP " + signal.name().toLowerCase(Locale.ROOT) + " request: " + e.getMessage());
    }
    try {
      output.write(signal, line);
    } catch (IOException e) {
      telemetry.count(ExporterInstruments.sendFailed(signal), itemCount, DIMENSIONS);
      return ExportResult.retryable("debug exporter: cannot write to " + output + ": " + e.getMessage());
    }
    telemetry.count(ExporterInstruments.sent(signal), itemCount, DIMENSIONS);
    return ExportResult.success();
  }

  @Override
  public String toString() {
    return "debug exporter (" + output + ")";
  }
}
