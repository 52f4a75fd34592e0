package io.otelpipeline.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The local stack's one-line summary: what the receiver accepted, what went out, what sampling
 * dropped, what waits parked, how far each consumer is behind, and what went to a failure
 * destination. Figures are the functions' own telemetry (the Collector's metric names) plus the
 * event source mappings' lag.
 */
final class StatusLine {
  /** Traces the sampler parked to wait for their decision (a running total). */
  static final String PARKED_TRACES = "otelpipeline_tail_sampling_traces_parked";

  private final TelemetryTotals totals;
  private final Supplier<List<EventSourceMapping>> mappings;
  private final LongSupplier failedRecords;
  private String last = "";

  /** {@code failedRecords}: records kept in a failure destination, files and OnFailure records alike. */
  StatusLine(TelemetryTotals totals, Supplier<List<EventSourceMapping>> mappings, LongSupplier failedRecords) {
    this.totals = totals;
    this.mappings = mappings;
    this.failedRecords = failedRecords;
  }

  /** The current line. */
  String render() {
    List<String> parts = new ArrayList<>();
    parts.add("spans " + n("otelcol_receiver_accepted_spans") + " in/" + exported("otelcol_exporter_sent_spans") + " out");
    parts.add("metric points " + n("otelcol_receiver_accepted_metric_points") + "/" + exported("otelcol_exporter_sent_metric_points"));
    parts.add("log records " + n("otelcol_receiver_accepted_log_records") + "/" + exported("otelcol_exporter_sent_log_records"));
    parts.add("sampled out " + sampledOut());
    parts.add("parked traces " + n(PARKED_TRACES));
    Map<String, EventSourceMapping.Lag> lagByStream = new LinkedHashMap<>();
    for (EventSourceMapping m : mappings.get()) {
      EventSourceMapping.Lag lag = m.lag();
      lagByStream.merge(m.streamName(), lag, (a, b) ->
          new EventSourceMapping.Lag(Math.max(a.records(), b.records()), a.behind().compareTo(b.behind()) >= 0 ? a.behind() : b.behind()));
    }
    List<String> lags = new ArrayList<>();
    lagByStream.forEach((stream, lag) -> lags.add(stream + " " + lag.records() + " rec " + String.format("%.1f", lag.behind().toMillis() / 1000.0) + "s"));
    parts.add("lag " + (lags.isEmpty() ? "-" : String.join(", ", lags)));
    parts.add("failed " + failedRecords.getAsLong());
    return String.join(" | ", parts);
  }

  /** Prints the line when it changed since the last print. */
  void printIfChanged() {
    String line = render();
    if (!line.equals(last)) {
      last = line;
      System.out.println("[local] " + line);
    }
  }

  private long sampledOut() {
    double sum = 0;
    for (Map.Entry<Series, Double> e : totals.snapshot().entrySet()) {
      if (e.getKey().name().equals("otelcol_processor_tail_sampling_count_spans_sampled") && e.getKey().has("sampled", "false")) {
        sum += e.getValue();
      }
    }
    return Math.round(sum);
  }

  /** Items sent to the backend: the consumers' exporters, not the ingest's writes to Kinesis. */
  private long exported(String counter) {
    double sum = 0;
    for (Map.Entry<Series, Double> e : totals.snapshot().entrySet()) {
      if (e.getKey().name().equals(counter) && e.getKey().has("exporter") && !e.getKey().has("exporter", "kinesis")) {
        sum += e.getValue();
      }
    }
    return Math.round(sum);
  }

  private long n(String counter) {
    return Math.round(totals.counter(counter));
  }
}
