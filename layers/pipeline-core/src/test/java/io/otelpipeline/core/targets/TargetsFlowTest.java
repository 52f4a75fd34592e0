package io.otelpipeline.core.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.auth.BearerTokens;
import io.otelpipeline.core.auth.CollectorTokens;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.targets.allocation.AllocationLease;
import io.otelpipeline.core.targets.allocation.AllocationStrategy;
import io.otelpipeline.core.targets.allocation.DynamoDbAllocationLease;
import io.otelpipeline.core.targets.allocation.ShardSizing;
import io.otelpipeline.core.targets.allocation.TargetAllocator;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry, the API and the allocator together, on DynamoDB Local. */
class TargetsFlowTest {
  static final String TARGETS = "targets";
  static final String COLLECTORS = "collectors";
  static final String SCRAPE_STATE = "scrape-state";
  static LocalDynamoDb dynamo;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONFIG =
      """
      receivers:
        prometheus:
          config:
            scrape_configs:
              - job_name: node
                scrape_interval: 30s
                static_configs:
                  - targets: ['node-1:9100', 'node-2:9100', 'node-3:9100']
      """;

  final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
  final List<String> invoked = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    dynamo = LocalDynamoDb.start().create(TableSpec.targets(TARGETS), TableSpec.byId(COLLECTORS), TableSpec.byId(SCRAPE_STATE));
  }

  @AfterAll
  static void stop() throws Exception {
    dynamo.close();
  }

  ScrapeConfigs configs() {
    return ScrapeConfigs.from(PipelineConfig.parse("config.yaml", CONFIG, new FunctionEnvironment(Map.of())));
  }

  TargetsApi api(String prefix) {
    return new TargetsApi(
        BearerTokens.of(List.of("s3cret")),
        CollectorTokens.parse("ecs-1=ecs-1-key,lambda-0=lambda-0-key", "test"),
        configs(),
        new DynamoDbTargetRegistry(dynamo.client(), TARGETS, clock),
        new DynamoDbCollectorRegistry(dynamo.client(), COLLECTORS, clock),
        new DynamoDbAssignmentStore(dynamo.client(), SCRAPE_STATE));
  }

  TargetAllocator allocator(AllocationStrategy strategy) {
    return new TargetAllocator(
        configs(),
        new DynamoDbTargetRegistry(dynamo.client(), TARGETS, clock),
        new DynamoDbCollectorRegistry(dynamo.client(), COLLECTORS, clock),
        new DynamoDbAssignmentStore(dynamo.client(), SCRAPE_STATE),
        strategy,
        new ShardSizing(0.5, 1, 8),
        (shard, version) -> invoked.add(shard + "@" + version),
        new DynamoDbAllocationLease(dynamo.client(), SCRAPE_STATE, Duration.ofSeconds(55)),
        clock);
  }

  @Test
  void aSecondRunWhileTheFirstHoldsTheLeaseChangesNothingAndADeadRunsLeaseRunsOut() {
    AllocationLease lease = new DynamoDbAllocationLease(dynamo.client(), SCRAPE_STATE, Duration.ofSeconds(55));
    Optional<AllocationLease.Held> first = lease.acquire(clock.instant());
    assertTrue(first.isPresent());
    invoked.clear();
    TargetAllocator.Run second = allocator(AllocationStrategy.consistentHashing()).run();
    assertEquals(false, second.allocated());
    assertEquals(List.of(), invoked, "no scraper shard started twice");
    clock.advance(Duration.ofSeconds(56));
    TargetAllocator.Run afterDeath = allocator(AllocationStrategy.consistentHashing()).run();
    assertTrue(afterDeath.allocated(), "the lease of a run that never released it has run out");
    first.get().close();
    assertTrue(lease.acquire(clock.instant()).isPresent(), "a finished run releases its lease at once");
  }

  static TargetsApi.Request req(String method, String path, String query, String body) {
    return new TargetsApi.Request(method, path, query, Map.of("Authorization", "Bearer s3cret"), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  /** A request acting as a collector, with that collector's own token. */
  static TargetsApi.Request asCollector(String collector, String method, String path, String query, String body) {
    return new TargetsApi.Request(method, path, query, Map.of("Authorization", "Bearer " + collector + "-key"),
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode json(TargetsApi.Response r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void registeredAndConfiguredTargetsAreAllocatedAndServedOverHttpSd() throws Exception {
    TargetsApi api = api("flow");
    TargetsApi.Response put = api.handle(req("PUT", "/targets", "", "{\"job\":\"svc\",\"address\":\"svc-1:8080\",\"labels\":{\"team\":\"a\"},\"interval\":\"15s\",\"ttl_seconds\":120}"));
    assertEquals(200, put.status(), new String(put.body()));
    assertEquals(15000, json(put).get("interval_ms").asInt());
    assertEquals(200, api.handle(asCollector("ecs-1", "POST", "/collectors/ecs-1/heartbeat", "", "{\"ttl_seconds\":60}")).status());

    TargetAllocator.Run run = allocator(AllocationStrategy.consistentHashing()).run();
    assertEquals(4, run.targets());
    assertEquals(List.of("ecs-1"), run.externalCollectors());
    assertEquals(List.of("0@" + run.version()), invoked);

    JsonNode jobs = json(api.handle(req("GET", "/jobs", "", null)));
    assertEquals("/jobs/svc/targets", jobs.get("svc").get("_link").asText());
    JsonNode perCollector = json(api.handle(req("GET", "/jobs/node/targets", "", null)));
    int total = 0;
    for (String c : List.of("lambda-0", "ecs-1")) {
      JsonNode sd = json(api.handle(asCollector(c, "GET", "/jobs/node/targets", "collector_id=" + c, null)));
      assertEquals(perCollector.get(c).get("targets"), sd);
      for (JsonNode group : sd) {
        total += group.get("targets").size();
        assertEquals("/metrics", group.get("labels").get("__metrics_path__").asText());
      }
    }
    assertEquals(3, total, "each node target is served to exactly one collector");

    JsonNode configs = json(api.handle(req("GET", "/scrape_configs", "", null)));
    assertEquals("30s", configs.get("node").get("scrape_interval").asText());
    assertEquals("15s", configs.get("svc").get("scrape_interval").asText());

    clock.advance(Duration.ofSeconds(61));
    TargetAllocator.Run after = allocator(AllocationStrategy.consistentHashing()).run();
    assertEquals(List.of(), after.externalCollectors(), "the collector stopped its heartbeats");
    assertEquals("[]", new String(api.handle(asCollector("ecs-1", "GET", "/jobs/node/targets", "collector_id=ecs-1", null)).body()));
    JsonNode all = json(api.handle(asCollector("lambda-0", "GET", "/jobs/node/targets", "collector_id=lambda-0", null)));
    assertEquals(3, all.get(0).get("targets").size());

    clock.advance(Duration.ofSeconds(60));
    assertEquals(3, allocator(AllocationStrategy.leastWeighted()).run().targets(), "the registration's TTL ran out");
    assertEquals(200, api.handle(req("PUT", "/targets", "", "{\"job\":\"svc\",\"address\":\"svc-2:8080\"}")).status());
    assertEquals(4, allocator(AllocationStrategy.leastWeighted()).run().targets());
    assertEquals(200, api.handle(req("DELETE", "/targets", "", "{\"job\":\"svc\",\"address\":\"svc-2:8080\"}")).status());
    assertEquals(404, api.handle(req("DELETE", "/targets", "job=svc&address=svc-2:8080", null)).status());
    assertEquals(3, allocator(AllocationStrategy.leastWeighted()).run().targets());
  }

  @Test
  void onlyACollectorsOwnTokenLetsACallerActAsThatCollector() throws Exception {
    TargetsApi api = api("rights");
    TargetsApi.Response invented = api.handle(req("POST", "/collectors/invented/heartbeat", "", null));
    assertEquals(403, invented.status(), "the registrants' token cannot heartbeat a collector into the allocation");
    assertTrue(json(invented).get("error").asText().contains("needs that collector's own token"), new String(invented.body()));
    assertEquals(403, api.handle(req("GET", "/jobs/node/targets", "collector_id=ecs-1", null)).status(),
        "nor read a collector's targets");
    assertEquals(403, api.handle(asCollector("ecs-1", "GET", "/jobs/node/targets", "collector_id=lambda-0", null)).status(),
        "one collector cannot read another's targets");
    assertEquals(401, api.handle(asCollector("ecs-1", "PUT", "/targets", "", "{\"job\":\"svc\",\"address\":\"svc-9:80\"}")).status(),
        "a collector's token does not register targets");
    assertEquals(200, api.handle(asCollector("ecs-1", "POST", "/collectors/ecs-1/heartbeat", "", null)).status());
  }

  @Test
  void badInputIsRefusedNamingTheField() throws Exception {
    TargetsApi api = api("bad");
    Map<String, String> cases =
        Map.of(
            "{\"job\":\"svc\",\"address\":\"svc-1\"}", "address",
            "{\"job\":\"svc\",\"address\":\"svc-1:80\",\"interval\":\"soon\"}", "interval",
            "{\"job\":\"svc\",\"address\":\"svc-1:80\",\"interval\":\"10ms\"}", "interval",
            "{\"job\":\"svc\",\"address\":\"svc-1:80\",\"labels\":{\"bad-name\":\"x\"}}", "labels",
            "{\"address\":\"svc-1:80\"}", "job",
            "{\"job\":\"svc\",\"address\":\"svc-1:80\",\"ttl_seconds\":-1}", "ttl_seconds",
            "not json", "body");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      TargetsApi.Response r = api.handle(req("PUT", "/targets", "", c.getKey()));
      assertEquals(400, r.status(), c.getKey());
      assertTrue(json(r).get("error").asText().startsWith(c.getValue() + ": "), c.getKey() + " -> " + new String(r.body()));
    }
    assertEquals(400, api.handle(asCollector("lambda-0", "POST", "/collectors/lambda-0/heartbeat", "", null)).status());
    TargetsApi.Response unauthorized = api.handle(new TargetsApi.Request("GET", "/jobs", "", Map.of("authorization", "Bearer wrong"), new byte[0]));
    assertEquals(401, unauthorized.status());
    assertEquals(404, api.handle(req("GET", "/nope", "", null)).status());
  }
}
