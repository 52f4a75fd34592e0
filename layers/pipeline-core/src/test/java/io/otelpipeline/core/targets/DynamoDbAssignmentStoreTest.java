package io.otelpipeline.core.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.otelpipeline.core.testing.LocalDynamoDbTables;
import io.otelpipeline.core.testing.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The allocation and the scraper shards' reports in the scrape state table, as deployed tables hold them. */
class DynamoDbAssignmentStoreTest {
  static final String TABLE = "scrape-state";
  @RegisterExtension static final LocalDynamoDbTables dynamo = new LocalDynamoDbTables(TableSpec.byId(TABLE));

  AssignmentStore store() {
    return new DynamoDbAssignmentStore(dynamo.client(), TABLE);
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  static Map<String, AttributeValue> stored(String id) {
    Map<String, AttributeValue> item = dynamo.client().getItem(b -> b.tableName(TABLE).key(Map.of("id", s(id)))).item();
    return item.isEmpty() ? null : item;
  }

  static ScrapeTarget target(String job, String address) {
    return ScrapeTarget.of(job, address, Map.of("team", "a"), Duration.ofSeconds(30), TargetSource.CONFIG);
  }

  static Assignment assignment(long version, Map<String, List<ScrapeTarget>> byCollector) {
    return new Assignment(version, 2, "consistent-hashing", byCollector);
  }

  @Test
  void anAssignmentIsAHeadItemAndOneItemPerCollector() {
    assertEquals(Assignment.empty(), store().load());
    Map<String, List<ScrapeTarget>> byCollector = new LinkedHashMap<>();
    byCollector.put("lambda-0", List.of(target("node", "n-1:9100"), target("node", "n-2:9100")));
    byCollector.put("ecs-1", List.of(target("svc", "s-1:8080")));
    Assignment first = assignment(3, byCollector);
    store().save(first, List.of());

    assertEquals(
        Map.of(
            "id", s("assignment"),
            "version", n(3),
            "shards", n(2),
            "strategy", s("consistent-hashing"),
            "collectors", AttributeValue.fromL(List.of(s("lambda-0"), s("ecs-1")))),
        stored("assignment"));
    Map<String, AttributeValue> share = stored("assignment/lambda-0");
    assertEquals(List.of("id", "targets", "version"), share.keySet().stream().sorted().toList());
    assertEquals(n(3), share.get("version"));
    assertNotNull(share.get("targets").b(), "targets are gzipped JSON in a binary attribute");

    assertEquals(first, store().load());
    assertEquals(new AssignmentStore.CollectorTargets(3, byCollector.get("ecs-1")), store().collector("ecs-1"));
  }

  @Test
  void aCollectorLeftOutOfTheNextAssignmentLosesItsItem() {
    store().save(assignment(1, Map.of("lambda-0", List.of(target("node", "n-1:9100")), "ecs-1", List.of(target("svc", "s-1:8080")))), List.of());
    Assignment second = assignment(2, Map.of("lambda-0", List.of(target("node", "n-1:9100"), target("svc", "s-1:8080"))));
    store().save(second, List.of("lambda-0", "ecs-1"));

    assertNull(stored("assignment/ecs-1"));
    assertEquals(new AssignmentStore.CollectorTargets(0, List.of()), store().collector("ecs-1"));
    assertEquals(second, store().load());
  }

  @Test
  void aShardsLatestReportIsOneItemAndOnlyRecentOnesCount() {
    Instant at = Instant.parse("2024-05-01T10:00:00Z");
    ScrapeReport report = new ScrapeReport("lambda-0", 4, Duration.ofMillis(1500), Duration.ofSeconds(30), 12, at);
    store().report(report);
    store().report(new ScrapeReport("lambda-1", 3, Duration.ofMillis(100), Duration.ofSeconds(30), 2, at.minusSeconds(120)));

    assertEquals(
        Map.of(
            "id", s("report/lambda-0"),
            "version", n(4),
            "busy_ms", n(1500),
            "interval_ms", n(30_000),
            "targets", n(12),
            "at", n(at.toEpochMilli())),
        stored("report/lambda-0"));
    assertEquals(List.of(report), store().reports(List.of("lambda-0", "lambda-1", "lambda-2"), at.minusSeconds(60)));
    assertEquals(2, store().reports(List.of("lambda-0", "lambda-1"), at.minusSeconds(120)).size());
  }
}
