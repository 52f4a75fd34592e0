package io.otelpipeline.core.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.targets.ScrapeTarget;
import io.otelpipeline.core.targets.TargetSource;
import io.otelpipeline.core.targets.Assignment;
import io.otelpipeline.core.targets.AssignmentStore;
import io.otelpipeline.core.targets.DynamoDbAssignmentStore;
import io.otelpipeline.core.targets.ScrapeReport;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A shard's scrape against real HTTP endpoints, with its state in DynamoDB Local. */
class ShardScrapeTest {
  static final String SCRAPE_STATE = "scrape-state";
  static LocalDynamoDb dynamo;
  static HttpServer server;
  static ExecutorService pool;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    dynamo = LocalDynamoDb.start().create(TableSpec.byId(SCRAPE_STATE));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] node = Fixtures.exposition("node-exporter.prom");
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", node));
    server.createContext("/broken", ex -> respond(ex, 200, "text/plain; version=0.0.4", "ok 1\nbad{ 2\n".getBytes()));
    server.createContext("/huge", ex -> respond(ex, 200, "text/plain", new byte[200_000]));
    server.createContext("/redirect-nohost", ex -> {
      ex.getResponseHeaders().add("Location", "http://a_b/metrics");
      respond(ex, 302, "text/plain", new byte[0]);
    });
    server.createContext("/redirect", ex -> {
      ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
      respond(ex, 302, "text/plain", new byte[0]);
    });
    server.start();
    base = "127.0.0.1:" + server.getAddress().getPort();
    pool = Executors.newFixedThreadPool(4);
  }

  static void respond(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body) throws java.io.IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop(0);
    pool.shutdownNow();
    dynamo.close();
  }

  static final class Recording implements SignalExporter {
    final List<ExportMetricsServiceRequest> requests = new ArrayList<>();

    @Override
    public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount) {
      try {
        requests.add(ExportMetricsServiceRequest.parseFrom(otlpRequest));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      return ExportResult.success();
    }
  }

  static ScrapeTarget target(String job, String address, String path, Duration interval) {
    return new ScrapeTarget(job, address, Map.of(), "http", path, Map.of(), interval, Duration.ofSeconds(5), false, TargetSource.CONFIG);
  }

  static String resource(ResourceMetrics rm, String key) {
    return rm.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue()).findFirst().orElseThrow();
  }

  static double up(ResourceMetrics rm) {
    return rm.getScopeMetrics(0).getMetricsList().stream().filter(m -> m.getName().equals("up")).map(Metric::getGauge).findFirst().orElseThrow().getDataPoints(0).getAsDouble();
  }

  @Test
  void scrapesEveryTargetOfItsShardAndOneBadTargetHarmsNoOther() throws Exception {
    AssignmentStore store = new DynamoDbAssignmentStore(dynamo.client(), SCRAPE_STATE);
    List<ScrapeTarget> targets =
        List.of(
            target("node", base, "/metrics", Duration.ofSeconds(20)),
            target("broken", base, "/broken", Duration.ofSeconds(60)),
            target("huge", base, "/huge", Duration.ofSeconds(60)),
            target("redirect", base, "/redirect", Duration.ofSeconds(60)),
            target("nohost", base, "/redirect-nohost", Duration.ofSeconds(60)),
            target("metadata", "169.254.169.254:80", "/latest/meta-data", Duration.ofSeconds(60)),
            target("closed", "127.0.0.1:1", "/metrics", Duration.ofSeconds(60)));
    store.save(new Assignment(7, 1, "consistent-hashing", Map.of("lambda-0", targets)), List.of());
    MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    List<Duration> slept = new ArrayList<>();
    Recording exporter = new Recording();
    ShardScrape scrape =
        new ShardScrape(
            store,
            new DynamoDbSeriesStore(dynamo.client(), SCRAPE_STATE),
            new TargetScraper(TargetScraper.httpClient(), new AddressPolicy(true), 100_000, clock),
            exporter,
            pool,
            Telemetry.noop(),
            clock,
            d -> {
              slept.add(d);
              clock.advance(d);
            },
            Duration.ofMinutes(1));

    ShardScrape.Outcome o = scrape.run("lambda-0", 7);

    assertEquals(7 + 2, o.scrapes(), "the 20s target is scraped at 0, 20 and 40 s; the others once");
    assertEquals(List.of(Duration.ofSeconds(20), Duration.ofSeconds(20)), slept);
    assertEquals(3, exporter.requests.size(), "one export per round");
    Map<String, String> down = o.down();
    assertEquals(6, down.size(), down.toString());
    assertTrue(down.get("broken/" + base).contains("malformed exposition: line 2:"), down.toString());
    assertTrue(down.get("huge/" + base).contains("larger than 100000 bytes"), down.toString());
    assertTrue(down.get("redirect/" + base).contains("169.254.169.254"), down.toString());
    assertTrue(down.get("nohost/" + base).contains("'http://a_b/metrics' has no host the scraper can parse"), down.toString());
    assertTrue(down.get("metadata/169.254.169.254:80").contains("never scraped"), down.toString());
    assertFalse(down.containsKey("node/" + base));

    List<ResourceMetrics> first = exporter.requests.get(0).getResourceMetricsList();
    assertEquals(7, first.size());
    for (ResourceMetrics rm : first) {
      assertEquals(resource(rm, "service.name").equals("node") ? 1.0 : 0.0, up(rm), resource(rm, "service.name"));
    }
    ResourceMetrics nodeLater = exporter.requests.get(2).getResourceMetrics(0);
    Metric cpu = nodeLater.getScopeMetrics(0).getMetricsList().stream().filter(m -> m.getName().equals("node_cpu_seconds_total")).findFirst().orElseThrow();
    assertEquals(Instant.parse("2024-05-01T10:00:00Z").toEpochMilli() * 1_000_000L, cpu.getSum().getDataPoints(0).getStartTimeUnixNano(), "start time kept from the first scrape");

    List<ScrapeReport> reports = store.reports(List.of("lambda-0"), Instant.EPOCH);
    assertEquals(1, reports.size());
    assertEquals(Duration.ofSeconds(20), reports.get(0).interval());
    assertEquals(7, reports.get(0).targets());

    ShardScrape.Outcome stale = scrape.run("lambda-0", 6);
    assertTrue(stale.superseded(), "an invocation for an older assignment leaves the shard to the newer one");
    assertEquals(0, stale.scrapes());
  }

  @Test
  void privateAddressesAreRefusedUnlessAllowed() throws Exception {
    AddressPolicy deployed = new AddressPolicy(false);
    for (String host : List.of("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.0.1", "[::1]", "[fd12::1]", "169.254.169.254", "[fd00:ec2::254]")) {
      assertThrowsRefused(deployed, host);
    }
    AddressPolicy local = new AddressPolicy(true);
    local.check("127.0.0.1");
    assertThrowsRefused(local, "169.254.169.254");
    assertThrowsRefused(local, "[fd00:ec2::254]");
    assertThrowsRefused(local, "[fe80::1]");
  }

  static void assertThrowsRefused(AddressPolicy p, String host) {
    AddressPolicy.RefusedTargetException e = org.junit.jupiter.api.Assertions.assertThrows(AddressPolicy.RefusedTargetException.class, () -> p.check(host), host);
    assertTrue(e.getMessage().startsWith("refused " + host), e.getMessage());
  }
}
