package io.otelpipeline.local.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.local.ConsumerLag;
import io.otelpipeline.local.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusSnapshotTest {
  private static final Map<Series, Double> TOTALS = Map.ofEntries(
      Map.entry(series("otelcol_receiver_accepted_spans", "function", "ingest", "signal", "traces", "transport", "http"), 1500.0),
      Map.entry(series("otelcol_receiver_refused_spans", "function", "ingest", "signal", "traces", "transport", "http"), 40.0),
      Map.entry(series("otelcol_receiver_accepted_log_records", "function", "ingest", "signal", "logs", "transport", "http"), 7.0),
      // ingest's writes to the stream are not exports to the backend
      Map.entry(series("otelcol_exporter_sent_spans", "exporter", "kinesis", "function", "ingest", "signal", "traces", "transport", "http"), 1500.0),
      Map.entry(series("otelcol_exporter_send_failed_spans", "exporter", "kinesis", "function", "ingest", "signal", "traces", "transport", "http"), 8.0),
      Map.entry(series("otelcol_exporter_sent_spans", "exporter", "otlphttp", "function", "trace-sampler"), 300.0),
      Map.entry(series("otelcol_exporter_send_failed_spans", "exporter", "otlphttp", "function", "trace-sampler"), 12.0),
      Map.entry(series("otelcol_exporter_sent_metric_points", "exporter", "debug", "function", "span-metrics"), 90.0),
      Map.entry(series("otelcol_processor_tail_sampling_count_spans_sampled", "function", "trace-sampler", "policy", "errors", "sampled", "true"), 200.0),
      Map.entry(series("otelcol_processor_tail_sampling_count_spans_sampled", "function", "trace-sampler", "policy", "baseline", "sampled", "true"), 100.0),
      Map.entry(series("otelcol_processor_tail_sampling_count_spans_sampled", "function", "trace-sampler", "policy", "no_policy_matched", "sampled", "false"), 1100.0),
      Map.entry(series("otelpipeline_tail_sampling_traces_parked", "function", "trace-sampler"), 30.0),
      Map.entry(series("otelcol_processor_tail_sampling_sampling_traces_on_memory", "function", "trace-sampler"), 4.0),
      Map.entry(series("otelpipeline_forwarder_failed_records", "function", "forwarder"), 2.0));

  private static Series series(String name, String... dimensions) {
    Map<String, String> d = new HashMap<>();
    for (int i = 0; i < dimensions.length; i += 2) {
      d.put(dimensions[i], dimensions[i + 1]);
    }
    return new Series(name, d);
  }

  @Test
  void countsSinceTheBaselineBySignalAndOutcome() {
    Map<Series, Double> baseline = Map.of(
        series("otelcol_receiver_accepted_spans", "function", "ingest", "signal", "traces", "transport", "http"), 500.0,
        series("otelcol_processor_tail_sampling_count_spans_sampled", "function", "trace-sampler", "policy", "no_policy_matched", "sampled", "false"), 100.0);
    StatusSnapshot s = StatusSnapshot.of(Instant.ofEpochMilli(1000), TOTALS, baseline,
        List.of(new ConsumerLag("TraceSamplerFunction", "traces", 25, Duration.ofMillis(1500))), 3);

    assertEquals(new StatusSnapshot.Flow(1000, 40), s.intake().get("traces"));
    assertEquals(new StatusSnapshot.Flow(0, 0), s.intake().get("metrics"));
    assertEquals(new StatusSnapshot.Flow(7, 0), s.intake().get("logs"));
    assertEquals(new StatusSnapshot.Flow(300, 12), s.exported().get("traces"));
    assertEquals(new StatusSnapshot.Flow(90, 0), s.exported().get("metrics"));
    assertEquals(300, s.spansSampled());
    assertEquals(1000, s.spansSampledOut());
    assertEquals(30, s.tracesParked());
    assertEquals(4, s.tracesWaiting());
    assertEquals(3, s.failedRecords(), "what the stack counted in its failure destinations");
    assertEquals(List.of(new StatusSnapshot.Lag("TraceSamplerFunction", "traces", 25, 1500)), s.lags());
  }

  @Test
  void jsonCarriesTheFieldsThePageReads() {
    String json = StatusSnapshot.of(Instant.ofEpochMilli(1000), TOTALS, Map.of(), List.of(), 0).toJson();
    for (String field : List.of("\"atMillis\":1000", "\"intake\":", "\"traces\":{\"ok\":1500,\"refused\":40}", "\"spansSampledOut\":1100",
        "\"tracesParked\":30", "\"lags\":[]", "\"failedRecords\":0")) {
      assertTrue(json.contains(field), field + " in " + json);
    }
  }
}
