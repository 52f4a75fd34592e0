package io.otelpipeline.core.spanmetrics;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.testing.TestSpans.resource;
import static io.otelpipeline.core.testing.TestSpans.span;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.otelpipeline.core.testing.CapturedEmfLog;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The EMF documents CloudWatch would read from the function's log, captured from the library's sink. */
class CloudWatchRedMetricsTest {
  private static final String T1 = "0af7651916cd43dd8448eb211c80319c";

  private final CapturedEmfLog log = new CapturedEmfLog();
  private final List<JsonNode> documents = log.documents();

  /** One line per document: dimension values, then calls, errors and the count of duration values. */
  private List<String> summary() {
    List<String> out = new ArrayList<>();
    for (JsonNode d : documents) {
      TreeMap<String, String> dims = new TreeMap<>();
      d.get("_aws").get("CloudWatchMetrics").get(0).get("Dimensions").get(0).forEach(n -> dims.put(n.asText(), d.get(n.asText()).asText()));
      JsonNode duration = d.get("duration");
      out.add(dims + " calls=" + d.get("calls").asLong() + " errors=" + d.get("errors").asLong()
          + " durations=" + (duration == null ? 0 : duration.isArray() ? duration.size() : 1));
    }
    return out;
  }

  @Test
  void writesRedMetricsWithBoundedDimensionsAsEmf() {
    CloudWatchRedMetrics red = CloudWatchRedMetrics.create("Shop", 2, log);
    CloudWatchRedMetrics.Batch batch = red.newBatch();
    batch.add(resource("checkout"), span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "POST /pay", 12.5, false).build(), 1);
    batch.add(resource("checkout"), span(T1, "0000000000000002", "", SPAN_KIND_SERVER, "POST /pay", 30, true).build(), 1);
    batch.add(resource("checkout"), span(T1, "0000000000000003", "", SPAN_KIND_SERVER, "GET /cart", 3, false).build(), 4);
    batch.add(resource("checkout"), span(T1, "0000000000000004", "", SPAN_KIND_SERVER, "GET /item/17", 1, false).build(), 1);
    batch.add(resource("checkout"), span(T1, "0000000000000005", "", SPAN_KIND_SERVER, "GET /item/18", 2, false).build(), 1);
    batch.add(resource(null), span(T1, "0000000000000006", "", SPAN_KIND_SERVER, "orphan", 2, false).build(), 1);
    batch.emit();

    assertEquals(
        List.of(
            "{service.name=checkout, span.name=POST /pay, status.code=STATUS_CODE_UNSET} calls=1 errors=0 durations=1",
            "{service.name=checkout, span.name=POST /pay, status.code=STATUS_CODE_ERROR} calls=1 errors=1 durations=1",
            "{service.name=checkout, span.name=GET /cart, status.code=STATUS_CODE_UNSET} calls=4 errors=0 durations=1",
            "{service.name=checkout, span.name=other, status.code=STATUS_CODE_UNSET} calls=2 errors=0 durations=2"),
        summary());

    JsonNode first = documents.get(0);
    JsonNode directive = first.get("_aws").get("CloudWatchMetrics").get(0);
    assertEquals("Shop", directive.get("Namespace").asText());
    assertEquals("[[\"service.name\",\"span.name\",\"status.code\"],[\"service.name\"]]", directive.get("Dimensions").toString());
    List<String> metrics = new ArrayList<>();
    directive.get("Metrics").forEach(m -> metrics.add(m.get("Name").asText() + ":" + m.get("Unit").asText()));
    assertEquals(List.of("calls:Count", "duration:Milliseconds", "errors:Count"), metrics.stream().sorted().toList());
    assertEquals(12.5, first.get("duration").asDouble());
  }

  @Test
  void spanNamesStayCappedAcrossBatchesAndManyDurationsSplitIntoDocuments() {
    CloudWatchRedMetrics red = CloudWatchRedMetrics.create("Shop", 1, log);
    CloudWatchRedMetrics.Batch first = red.newBatch();
    first.add(resource("cart"), span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "GET /cart", 1, false).build(), 1);
    first.emit();
    CloudWatchRedMetrics.Batch second = red.newBatch();
    for (int i = 0; i < 150; i++) {
      second.add(resource("cart"), span(T1, String.format("%016x", i + 2), "", SPAN_KIND_SERVER, "GET /item/" + i, i, false).build(), 1);
    }
    second.add(resource("cart"), span(T1, "00000000000000ff", "", SPAN_KIND_SERVER, "GET /cart", 1, false).build(), 1);
    second.emit();

    long otherDurations = 0;
    long otherCalls = 0;
    for (JsonNode d : documents.subList(1, documents.size())) {
      if (d.get("span.name").asText().equals("other")) {
        otherDurations += d.get("duration").isArray() ? d.get("duration").size() : 1;
        otherCalls += d.path("calls").asLong();
        assertEquals(true, !d.has("duration") || !d.get("duration").isArray() || d.get("duration").size() <= 100);
      }
    }
    assertEquals(150, otherDurations);
    assertEquals(150, otherCalls);
    assertEquals(List.of("GET /cart", "other"), documents.stream().map(d -> d.get("span.name").asText()).distinct().sorted().toList());
  }
}
