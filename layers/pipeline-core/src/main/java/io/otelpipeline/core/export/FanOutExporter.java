package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Sends each signal to every exporter its pipelines name, as the Collector's fan-out does. The
 * result is the worst of the exporters' results, so data one backend could not take is offered
 * again (and the backends that took it see it twice: at least once, never lost). A signal routed to
 * no exporter is counted as not exported and otherwise dropped, as the start-up report says.
 */
final class FanOutExporter implements SignalExporter {
  private final Map<Signal, List<SignalExporter>> routes;
  private final Collection<SignalExporter> exporters;
  private final Telemetry telemetry;

  FanOutExporter(Map<Signal, List<SignalExporter>> routes, Collection<SignalExporter> exporters, Telemetry telemetry) {
    this.routes = Map.copyOf(routes);
    this.exporters = List.copyOf(exporters);
    this.telemetry = telemetry;
  }

  @Override
  public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount) {
    return export(signal, otlpRequest, itemCount, Instant.MAX);
  }

  @Override
  public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount, Instant deadline) {
    List<SignalExporter> targets = routes.getOrDefault(signal, List.of());
    if (targets.isEmpty()) {
      telemetry.count(ExporterInstruments.notExported(signal), itemCount);
      return ExportResult.success();
    }
    ExportResult overall = ExportResult.success();
    for (SignalExporter target : targets) {
      overall = overall.and(target.export(signal, otlpRequest, itemCount, deadline));
    }
    return overall;
  }

  @Override
  public int maxRequestBytes() {
    return exporters.stream().mapToInt(SignalExporter::maxRequestBytes).min().orElse(ExportSettings.DEFAULT_MAX_REQUEST_BYTES);
  }

  @Override
  public void close() {
    exporters.forEach(SignalExporter::close);
  }

  @Override
  public String toString() {
    return "fan-out to " + routes;
  }
}
