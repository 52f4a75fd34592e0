package io.otelpipeline.core.servicegraph;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.testing.TestSpans.kv;
import static io.otelpipeline.core.testing.TestSpans.resource;
import static io.otelpipeline.core.testing.TestSpans.span;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.config.ConfigBlock;
import io.otelpipeline.core.testing.TestSpans;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceGraphTest {
  private static final Resource FRONTEND = resource("frontend");
  private static final Resource CHECKOUT = resource("checkout");
  private static final Resource PAYMENT = resource("payment");
  private static final String T1 = "0af7651916cd43dd8448eb211c80319c";
  private static final String T2 = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String B = " buckets=";
  private static final ServiceGraphConfig CONFIG =
      ServiceGraphConfig.parse(
          ConfigBlock.of("connectors.servicegraph", Map.of("latency_histogram_buckets", List.of("10ms", "100ms"), "store", Map.of("ttl", "5s"))));

  private Instant now;
  private WaitingHalves waiting;

  @BeforeEach
  void emptyState() {
    now = Instant.parse("2024-05-01T10:00:00Z");
    waiting = WaitingHalves.empty();
  }

  record In(Resource resource, Span.Builder span) {}

  /** One invocation's spans, read at the current stream time, through the shard's waiting halves. */
  private List<String> batch(In... spans) {
    return batch(CONFIG, spans);
  }

  private List<String> batch(ServiceGraphConfig config, In... spans) {
    EdgePairing pairing = EdgePairing.create(config, waiting);
    pairing.expire(now);
    for (In in : spans) {
      pairing.add(in.resource(), in.span().build(), now);
    }
    ServiceGraphMetrics metrics = ServiceGraphMetrics.create(config);
    metrics.add(pairing.result());
    if (metrics.isEmpty()) {
      return List.of();
    }
    return TestSpans.lines(List.of(metrics.toResourceMetrics(1, 2)));
  }

  private static String edge(String client, String server, String type, boolean failed) {
    return "{client=" + client + ",server=" + server + ",connection_type=" + type + ",failed=" + failed + "}";
  }

  @Test
  void pairsClientAndServerSpansOfOneBatch() {
    List<String> lines =
        batch(
            new In(FRONTEND, span(T1, "00000000000000a1", "00000000000000a0", SPAN_KIND_CLIENT, "GET /checkout", 50, false)),
            new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET /checkout", 40, false)),
            new In(CHECKOUT, span(T1, "00000000000000b2", "00000000000000b1", SPAN_KIND_CLIENT, "POST /pay", 30, false)),
            new In(PAYMENT, span(T1, "00000000000000c1", "00000000000000b2", SPAN_KIND_SERVER, "POST /pay", 5, true)));
    assertEquals(
        List.of(
            "traces_service_graph_request_total" + edge("frontend", "checkout", "", false) + " 1",
            "traces_service_graph_request_total" + edge("checkout", "payment", "", true) + " 1",
            "traces_service_graph_request_failed_total" + edge("checkout", "payment", "", true) + " 1",
            "traces_service_graph_request_server_seconds" + edge("frontend", "checkout", "", false) + " count=1 sum=0.040" + B + "[0, 1, 0] exemplars=0",
            "traces_service_graph_request_server_seconds" + edge("checkout", "payment", "", true) + " count=1 sum=0.005" + B + "[1, 0, 0] exemplars=0",
            "traces_service_graph_request_client_seconds" + edge("frontend", "checkout", "", false) + " count=1 sum=0.050" + B + "[0, 1, 0] exemplars=0",
            "traces_service_graph_request_client_seconds" + edge("checkout", "payment", "", true) + " count=1 sum=0.030" + B + "[0, 1, 0] exemplars=0"),
        lines);
  }

  @Test
  void aHalfWaitsInTheStoreForItsPartnerInALaterBatch() {
    assertEquals(List.of(), batch(new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "GET", 50, true))));
    now = now.plusSeconds(1);
    List<String> lines = batch(new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 40, false)));
    assertEquals("traces_service_graph_request_total" + edge("frontend", "checkout", "", true) + " 1", lines.get(0));
    assertEquals("traces_service_graph_request_failed_total" + edge("frontend", "checkout", "", true) + " 1", lines.get(1));
    now = now.plusSeconds(10);
    assertEquals(List.of(), batch(), "a paired half is never counted as expired");
  }

  @Test
  void aSecondHalfOfTheSameSideForOneCallIsDroppedAndTheFirstStillPairs() {
    assertEquals(List.of(), batch(new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 40, false))));
    assertEquals(
        List.of("traces_service_graph_dropped_spans_total{} 1"),
        batch(new In(PAYMENT, span(T1, "00000000000000c1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 9, false))));
    List<String> lines = batch(new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "GET", 50, false)));
    assertEquals("traces_service_graph_request_total" + edge("frontend", "checkout", "", false) + " 1", lines.get(0));
    assertEquals(0, waiting.size());
  }

  @Test
  void halvesBeyondMaxItemsAreDroppedAndCounted() {
    ServiceGraphConfig two =
        ServiceGraphConfig.parse(ConfigBlock.of("connectors.servicegraph", Map.of("store", Map.of("ttl", "5s", "max_items", 2))));
    List<String> lines =
        batch(
            two,
            new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "GET", 50, false)),
            new In(FRONTEND, span(T1, "00000000000000a2", "", SPAN_KIND_CLIENT, "GET", 50, false)),
            new In(FRONTEND, span(T1, "00000000000000a3", "", SPAN_KIND_CLIENT, "GET", 50, false)));
    assertEquals(List.of("traces_service_graph_dropped_spans_total{} 1"), lines);
    assertEquals(2, waiting.size());
    List<String> paired = batch(two, new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 40, false)));
    assertEquals("traces_service_graph_request_total" + edge("frontend", "checkout", "", false) + " 1", paired.get(0), "a waiting half still pairs");
  }

  @Test
  void anExpiredClientHalfIsCountedUnpairedAndDrawnToItsVirtualPeer() {
    batch(
        new In(CHECKOUT, span(T2, "00000000000000d1", "00000000000000d0", SPAN_KIND_CLIENT, "charge", 80, false).addAttributes(kv("peer.service", "stripe"))),
        new In(PAYMENT, span(T2, "00000000000000e1", "00000000000000ff", SPAN_KIND_SERVER, "POST", 8, false)));
    now = now.plusSeconds(4);
    assertEquals(List.of(), batch(), "not due before the store's ttl");
    now = now.plusSeconds(2);
    List<String> lines = batch();
    assertEquals(
        List.of(
            "traces_service_graph_request_total" + edge("checkout", "stripe", "virtual_node", false) + " 1",
            "traces_service_graph_request_server_seconds" + edge("checkout", "stripe", "virtual_node", false) + " count=1 sum=0.000" + B + "[1, 0, 0] exemplars=0",
            "traces_service_graph_request_client_seconds" + edge("checkout", "stripe", "virtual_node", false) + " count=1 sum=0.080" + B + "[0, 1, 0] exemplars=0",
            "traces_service_graph_unpaired_spans_total{client=checkout} 1",
            "traces_service_graph_unpaired_spans_total{server=payment} 1"),
        lines.stream().sorted(ServiceGraphTest::metricOrder).toList());
    assertEquals(List.of(), batch(), "an expired half is counted once");
  }

  @Test
  void halvesExpireInTheOrderTheyWereParkedAsStreamTimePassesTheirTtl() {
    batch(new In(PAYMENT, span(T2, "00000000000000e1", "00000000000000f1", SPAN_KIND_SERVER, "POST", 8, false)));
    now = now.plusSeconds(3);
    batch(new In(CHECKOUT, span(T2, "00000000000000e2", "00000000000000f2", SPAN_KIND_SERVER, "POST", 8, false)));
    now = now.plusSeconds(3);
    assertEquals(List.of("traces_service_graph_unpaired_spans_total{server=payment} 1"), batch(), "only the first is 5 s old");
    assertEquals(1, waiting.size());
    now = now.plusSeconds(3);
    assertEquals(List.of("traces_service_graph_unpaired_spans_total{server=checkout} 1"), batch());
    assertEquals(0, waiting.size());
  }

  @Test
  void databaseRootAndMessagingSpans() {
    List<String> lines =
        batch(
            new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_SERVER, "GET /", 20, false)),
            new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_CLIENT, "SELECT", 3, false).addAttributes(kv("db.name", "orders"))),
            new In(CHECKOUT, span(T1, "00000000000000b2", "00000000000000a1", SPAN_KIND_PRODUCER, "publish", 1, false)),
            new In(PAYMENT, span(T1, "00000000000000c1", "00000000000000b2", SPAN_KIND_CONSUMER, "process", 2, false)));
    assertEquals(
        List.of(
            "traces_service_graph_request_total" + edge("user", "frontend", "virtual_node", false) + " 1",
            "traces_service_graph_request_total" + edge("checkout", "orders", "database", false) + " 1",
            "traces_service_graph_request_total" + edge("checkout", "payment", "messaging_system", false) + " 1"),
        lines.subList(0, 3));
  }

  private static int metricOrder(String a, String b) {
    return Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b);
  }

  private static int rank(String line) {
    List<String> order = List.of("_request_total", "_request_failed_total", "_request_server_seconds", "_request_client_seconds", "_unpaired");
    for (int i = 0; i < order.size(); i++) {
      if (line.contains(order.get(i))) {
        return i;
      }
    }
    return order.size();
  }
}
