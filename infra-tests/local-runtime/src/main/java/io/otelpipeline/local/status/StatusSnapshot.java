package io.otelpipeline.local.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.local.ConsumerLag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
  /** The dimension of ingest's writes to its streams, which are not exports to the backend. */
  static final String INGEST_WRITES = "exporter=kinesis";

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
   * From the process's telemetry totals now and at the baseline (keys {@code name{k=v,...}} as
   * {@link io.otelpipeline.local.TelemetryTotals#snapshot()} gives them), the consumers'
   * lags, and the records kept in a failure destination: the functions' failure files and what
   * the event sources sent to their OnFailure destinations.
   */
  public static StatusSnapshot of(Instant at, Map<String, Double> totals, Map<String, Double> baseline, List<ConsumerLag> lags,
      long failedRecords) {
    Counters c = new Counters(totals, baseline);
    Map<String, Flow> intake = new LinkedHashMap<>();
    Map<String, Flow> exported = new LinkedHashMap<>();
    for (Signal signal : Signal.values()) {
      String key = signal.name().toLowerCase(Locale.ROOT);
      String item = signal.itemName();
      intake.put(key, new Flow(c.sum("otelcol_receiver_accepted_" + item, ""), c.sum("otelcol_receiver_refused_" + item, "")));
      exported.put(key, new Flow(c.exported("otelcol_exporter_sent_" + item), c.exported("otelcol_exporter_send_failed_" + item)));
    }
    return new StatusSnapshot(
        at.toEpochMilli(),
        intake,
        exported,
        c.sum(SPANS_SAMPLED, "sampled=true"),
        c.sum(SPANS_SAMPLED, "sampled=false"),
        c.sum(TRACES_PARKED, ""),
        Math.round(totals.entrySet().stream().filter(e -> named(e.getKey(), TRACES_ON_MEMORY)).mapToDouble(Map.Entry::getValue).sum()),
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

  private static boolean named(String key, String name) {
    return key.equals(name) || key.startsWith(name + "{");
  }

  /** Counter sums since the baseline over the keys of one name, all of them or those with one dimension. */
  private record Counters(Map<String, Double> totals, Map<String, Double> baseline) {
    long sum(String name, String dimension) {
      double sum = 0;
      for (Map.Entry<String, Double> e : totals.entrySet()) {
        String key = e.getKey();
        if (named(key, name) && (dimension.isEmpty() || has(key, dimension))) {
          sum += e.getValue() - baseline.getOrDefault(key, 0.0);
        }
      }
      return Math.round(sum);
    }

    /** Items the consumers' exporters sent to (or failed to send to) the backend, not ingest's writes to Kinesis. */
    long exported(String name) {
      return sum(name, "exporter=") - sum(name, INGEST_WRITES);
    }

    /** Whether a key has the dimension {@code k=v}, or any value of {@code k} when given {@code k=}. */
    private static boolean has(String key, String dimension) {
      int open = key.indexOf('{');
      if (open < 0) {
        return false;
      }
      for (String d : key.substring(open + 1, key.length() - 1).split(",")) {
        if (dimension.endsWith("=") ? d.startsWith(dimension) : d.equals(dimension)) {
          return true;
        }
      }
      return false;
    }
  }
}
