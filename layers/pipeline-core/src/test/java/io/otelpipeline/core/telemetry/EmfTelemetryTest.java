package io.otelpipeline.core.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.otelpipeline.core.testing.CapturedEmfLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The EMF documents CloudWatch would read from the function's log: each metric in its instrument's unit. */
class EmfTelemetryTest {
  private static final Counter SENT = Counter.builder("test_records_sent")
      .setUnit(Unit.COUNT)
      .setDescription("Records sent, by stream.")
      .setDimensions("stream")
      .build();
  private static final Gauge STATE = Gauge.builder("test_breaker_state")
      .setUnit(Unit.NONE)
      .setDescription("0 closed, 1 open.")
      .setDimensions("stream")
      .build();
  private static final Distribution AGE = Distribution.builder("test_span_age")
      .setUnit(Unit.SECONDS)
      .setDescription("Age of a late span.")
      .build();
  private static final Distribution LATENCY = Distribution.builder("test_decision_latency")
      .setUnit(Unit.MICROSECONDS)
      .setDescription("Time to decide.")
      .build();

  private final CapturedEmfLog log = new CapturedEmfLog();
  private final List<JsonNode> documents = log.documents();

  /** One line per metric, sorted: its name, unit, value and dimensions as CloudWatch reads them. */
  private List<String> metrics() {
    List<String> out = new ArrayList<>();
    for (JsonNode d : documents) {
      JsonNode directive = d.get("_aws").get("CloudWatchMetrics").get(0);
      assertEquals("Stack", directive.get("Namespace").asText());
      TreeMap<String, String> dims = new TreeMap<>();
      directive.get("Dimensions").get(0).forEach(n -> dims.put(n.asText(), d.get(n.asText()).asText()));
      for (JsonNode m : directive.get("Metrics")) {
        String name = m.get("Name").asText();
        out.add(name + " " + m.get("Unit").asText() + " " + d.get(name) + " " + dims);
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void eachMetricCarriesItsDeclaredUnit() {
    EmfTelemetry telemetry = new EmfTelemetry("Stack", "trace-sampler", log);

    telemetry.count(SENT, 2, Map.of("stream", "traces"));
    telemetry.count(SENT, 3, Map.of("stream", "traces"));
    telemetry.gauge(STATE, 0, Map.of("stream", "traces"));
    telemetry.gauge(STATE, 1, Map.of("stream", "traces"));
    telemetry.observe(AGE, 1.5);
    telemetry.observe(LATENCY, 42);
    telemetry.flush();

    assertEquals(List.of(
        "test_breaker_state None 1.0 {function=trace-sampler, stream=traces}",
        "test_decision_latency Microseconds 42.0 {function=trace-sampler}",
        "test_records_sent Count 5.0 {function=trace-sampler, stream=traces}",
        "test_span_age Seconds 1.5 {function=trace-sampler}"), metrics());
  }

  @Test
  void aFlushWritesWhatWasRecordedSinceTheLastOne() {
    EmfTelemetry telemetry = new EmfTelemetry("Stack", "ingest", log);
    telemetry.count(SENT, 1, Map.of("stream", "logs"));
    telemetry.flush();
    telemetry.flush();
    telemetry.count(SENT, 4, Map.of("stream", "logs"));
    telemetry.flush();

    assertEquals(List.of("test_records_sent Count 1.0 {function=ingest, stream=logs}", "test_records_sent Count 4.0 {function=ingest, stream=logs}"),
        metrics());
  }
}
