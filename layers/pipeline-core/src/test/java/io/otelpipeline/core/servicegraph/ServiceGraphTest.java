package io.otelpipeline.core.servicegraph;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.spanmetrics.TestSpans.kv;
import static io.otelpipeline.core.spanmetrics.TestSpans.resource;
import static io.otelpipeline.core.spanmetrics.TestSpans.span;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.config.ConfigBlock;
import io.otelpipeline.core.spanmetrics.TestSpans;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

  private static final String TABLE = "span-metrics-state";
  private static LocalDynamoDb table;
  private MutableClock clock;
  private DynamoDbPendingEdgeStore store;

  @BeforeAll
  static void startDynamo() throws Exception {
    table = LocalDynamoDb.start().create(TableSpec.spanMetricsState(TABLE));
  }

  @AfterAll
  static void stopDynamo() throws Exception {
    table.close();
  }

  @BeforeEach
  void emptyTable() {
    table.clear(TABLE);
    clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    store = new DynamoDbPendingEdgeStore(table.client(), TABLE);
  }

  record In(Resource resource, Span.Builder span, String record) {}

  private List<String> batch(String claim, In... spans) {
    EdgePairing pairing = EdgePairing.create(CONFIG, store, clock);
    for (In in : spans) {
      pairing.add(in.resource(), in.span().build(), in.record());
    }
    EdgePairing.Result result = pairing.finish(claim);
    ServiceGraphMetrics metrics = ServiceGraphMetrics.create(CONFIG);
    metrics.add(result);
    if (metrics.isEmpty()) {
      return List.of();
    }
    List<String> lines = TestSpans.lines(List.of(metrics.toResourceMetrics(1, 2)));
    store.forget(result.leased(), claim);
    return lines;
  }

  private static String edge(String client, String server, String type, boolean failed) {
    return "{client=" + client + ",server=" + server + ",connection_type=" + type + ",failed=" + failed + "}";
  }

  @Test
  void pairsClientAndServerSpansOfOneBatch() {
    List<String> lines =
        batch(
            "b1",
            new In(FRONTEND, span(T1, "00000000000000a1", "00000000000000a0", SPAN_KIND_CLIENT, "GET /checkout", 50, false), "r1"),
            new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET /checkout", 40, false), "r2"),
            new In(CHECKOUT, span(T1, "00000000000000b2", "00000000000000b1", SPAN_KIND_CLIENT, "POST /pay", 30, false), "r2"),
            new In(PAYMENT, span(T1, "00000000000000c1", "00000000000000b2", SPAN_KIND_SERVER, "POST /pay", 5, true), "r3"));
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
    assertEquals(List.of(), batch("b1", new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "GET", 50, true), "r1")));
    clock.advance(Duration.ofSeconds(1));
    List<String> lines = batch("b2", new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 40, false), "r2"));
    assertEquals("traces_service_graph_request_total" + edge("frontend", "checkout", "", true) + " 1", lines.get(0));
    assertEquals("traces_service_graph_request_failed_total" + edge("frontend", "checkout", "", true) + " 1", lines.get(1));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(List.of(), batch("b3"), "a paired half is never counted as expired");
  }

  @Test
  void aRetriedRecordPairsWithTheSameHalfAgain() {
    batch("b1", new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "GET", 50, false), "r1"));
    In server = new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 40, false), "r2");
    String expected = "traces_service_graph_request_total" + edge("frontend", "checkout", "", false) + " 1";
    assertEquals(expected, batch("b2", server).get(0));
    assertEquals(expected, batch("b2", server).get(0), "the retry of r2 finds the client half it paired with");
    In duplicateFromAnotherRecord = new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 40, false), "r9");
    assertEquals(
        List.of("traces_service_graph_unpaired_spans_total{server=checkout} 1"),
        batch("b3", duplicateFromAnotherRecord),
        "another record cannot take a half that is already paired");
  }

  @Test
  void aRetriedRecordThatParkedAHalfParksItAgainRatherThanPairingItWithItself() {
    In client = new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "GET", 50, false), "r1");
    assertEquals(List.of(), batch("b1", client));
    assertEquals(List.of(), batch("b1", client), "the retry of r1 finds its own half waiting, not a partner");
    List<String> lines = batch("b2", new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_SERVER, "GET", 40, false), "r2"));
    assertEquals("traces_service_graph_request_total" + edge("frontend", "checkout", "", false) + " 1", lines.get(0));
  }

  @Test
  void anExpiredClientHalfIsCountedUnpairedAndDrawnToItsVirtualPeer() {
    batch(
        "b1",
        new In(CHECKOUT, span(T2, "00000000000000d1", "00000000000000d0", SPAN_KIND_CLIENT, "charge", 80, false).addAttributes(kv("peer.service", "stripe")), "r1"),
        new In(PAYMENT, span(T2, "00000000000000e1", "00000000000000ff", SPAN_KIND_SERVER, "POST", 8, false), "r1"));
    clock.advance(Duration.ofSeconds(4));
    assertEquals(List.of(), batch("b2"), "not due before the store's ttl");
    clock.advance(Duration.ofSeconds(2));
    List<String> lines = batch("b3");
    assertEquals(
        List.of(
            "traces_service_graph_request_total" + edge("checkout", "stripe", "virtual_node", false) + " 1",
            "traces_service_graph_request_server_seconds" + edge("checkout", "stripe", "virtual_node", false) + " count=1 sum=0.000" + B + "[1, 0, 0] exemplars=0",
            "traces_service_graph_request_client_seconds" + edge("checkout", "stripe", "virtual_node", false) + " count=1 sum=0.080" + B + "[0, 1, 0] exemplars=0",
            "traces_service_graph_unpaired_spans_total{client=checkout} 1",
            "traces_service_graph_unpaired_spans_total{server=payment} 1"),
        lines.stream().sorted(ServiceGraphTest::metricOrder).toList());
    assertEquals(List.of(), batch("b4"), "an expired half is counted once");
  }

  @Test
  void aLeaseNotForgottenLapsesAndTheHalfIsCountedByTheNextSweep() {
    batch("b1", new In(PAYMENT, span(T2, "00000000000000e1", "00000000000000ff", SPAN_KIND_SERVER, "POST", 8, false), "r1"));
    clock.advance(Duration.ofSeconds(6));
    assertEquals(1, store.leaseExpired(clock.instant(), "crashed-before-export", 10).size());
    assertEquals(List.of(), batch("b2"), "leased by another invocation");
    clock.advance(DynamoDbPendingEdgeStore.LEASE.plusSeconds(1));
    assertEquals(List.of("traces_service_graph_unpaired_spans_total{server=payment} 1"), batch("b3"));
  }

  @Test
  void databaseRootAndMessagingSpans() {
    List<String> lines =
        batch(
            "b1",
            new In(FRONTEND, span(T1, "00000000000000a1", "", SPAN_KIND_SERVER, "GET /", 20, false), "r1"),
            new In(CHECKOUT, span(T1, "00000000000000b1", "00000000000000a1", SPAN_KIND_CLIENT, "SELECT", 3, false).addAttributes(kv("db.name", "orders")), "r1"),
            new In(CHECKOUT, span(T1, "00000000000000b2", "00000000000000a1", SPAN_KIND_PRODUCER, "publish", 1, false), "r1"),
            new In(PAYMENT, span(T1, "00000000000000c1", "00000000000000b2", SPAN_KIND_CONSUMER, "process", 2, false), "r2"));
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
