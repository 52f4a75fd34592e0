package io.otelpipeline.local.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.local.ConsumerLag;
import io.otelpipeline.local.Series;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The local stack's status signals at one instant, as the status page shows them: intake accepted
 * and refused by signal, what the consumers exported and failed to export, spans kept and dropped
 * by tail sampling, traces parked, each consumer's lag, and records that went to a failure
 * destination. Counters are the functions' telemetry (the Collector's metric names) counted since
 * a baseline, so that several stacks in one JVM each see only their own.
 */
public record StatusSnapshot(
    long atMillis,
    Map<String, Flow> intake,
    Map<String, Flow> exported,
    long spansSampled,
    long spansSampledOut,
    long tracesParked,
    long tracesWaiting,
    List<Lag> lags,
    long failedRecords) {
  static final String SPANS_SAMPLED = "otelcol_processor_tail_sampling_count_spans_sampled";
  static final String TRACES_PARKED = "otelpipeline_tail_sampling_traces_parked";
  static final String TRACES_ON_MEMORY = "otelcol_processor_tail_sampling_sampling_traces_on_memory";
  /** The exporter of ingest's writes to its streams, which are not exports to the backend. */
  static final String INGEST_WRITES = "kinesis";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Items in and out: {@code ok} accepted or sent, {@code refused} refused at the entrance or failed to send. */
  public record Flow(long ok, long refused) {}

  /** A consumer's lag, the age in milliseconds. */
  public record Lag(String function, String stream, long records, long behindMillis) {}

  public StatusSnapshot {
    intake = Map.copyOf(intake);
    exported = Map.copyOf(exported);
    lags = List.copyOf(lags);
  }

  /**
   * From the process's telemetry totals now and at the baseline (by series, as
   * {@link io.otelpipeline.local.TelemetryTotals#snapshot()} gives them), the consumers'
   * lags, and the records kept in a failure destination: the functions' failure files and what
   * the event sources sent to their OnFailure destinations.
   */
  public static StatusSnapshot of(Instant at, Map<Series, Double> totals, Map<Series, Double> baseline, List<ConsumerLag> lags,
      long failedRecords) {
    Counters c = new Counters(totals, baseline);
    Map<String, Flow> intake = new LinkedHashMap<>();
    Map<String, Flow> exported = new LinkedHashMap<>();
    for (Signal signal : Signal.values()) {
      String key = signal.name().toLowerCase(Locale.ROOT);
      String item = signal.itemName();
      intake.put(key, new Flow(c.sum("otelcol_receiver_accepted_" + item, s -> true), c.sum("otelcol_receiver_refused_" + item, s -> true)));
      exported.put(key, new Flow(c.exported("otelcol_exporter_sent_" + item), c.exported("otelcol_exporter_send_failed_" + item)));
    }
    return new StatusSnapshot(
        at.toEpochMilli(),
        intake,
        exported,
        c.sum(SPANS_SAMPLED, s -> s.has("sampled", "true")),
        c.sum(SPANS_SAMPLED, s -> s.has("sampled", "false")),
        c.sum(TRACES_PARKED, s -> true),
        Math.round(totals.entrySet().stream().filter(e -> e.getKey().name().equals(TRACES_ON_MEMORY)).mapToDouble(Map.Entry::getValue).sum()),
        lags.stream().map(l -> new Lag(l.function(), l.stream(), l.records(), l.behind().toMillis())).toList(),
        failedRecords);
  }

  /** The snapshot as the status page's JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the status as JSON: " + e.getMessage(), e);
    }
  }

  /** Counter sums since the baseline over the series of one name that pass a test of their dimensions. */
  private record Counters(Map<Series, Double> totals, Map<Series, Double> baseline) {
    long sum(String name, Predicate<Series> which) {
      double sum = 0;
      for (Map.Entry<Series, Double> e : totals.entrySet()) {
        if (e.getKey().name().equals(name) && which.test(e.getKey())) {
          sum += e.getValue() - baseline.getOrDefault(e.getKey(), 0.0);
        }
      }
      return Math.round(sum);
    }

    /** Items the consumers' exporters sent to (or failed to send to) the backend, not ingest's writes to Kinesis. */
    long exported(String name) {
      return sum(name, s -> s.has("exporter") && !s.has("exporter", INGEST_WRITES));
    }
  }
}
