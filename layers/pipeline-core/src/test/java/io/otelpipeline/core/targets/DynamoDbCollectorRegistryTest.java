package io.otelpipeline.core.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.otelpipeline.core.testing.LocalDynamoDbTables;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The collectors table as deployed tables hold it: one item per collector, kept by its heartbeats. */
class DynamoDbCollectorRegistryTest {
  static final String TABLE = "collectors";
  @RegisterExtension static final LocalDynamoDbTables dynamo = new LocalDynamoDbTables(TableSpec.byId(TABLE));

  final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));

  CollectorRegistry registry() {
    return new DynamoDbCollectorRegistry(dynamo.client(), TABLE, clock);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  @Test
  void aHeartbeatWritesItsTimeAndExpiry() {
    long now = clock.instant().getEpochSecond();
    registry().heartbeat("ecs-1", Duration.ofSeconds(60));
    registry().heartbeat("ecs-2", Duration.ZERO);
    assertEquals(
        Map.of("id", AttributeValue.fromS("ecs-1"), "last_heartbeat", n(now), "expires_at", n(now + 60)),
        dynamo.client().getItem(b -> b.tableName(TABLE).key(Map.of("id", AttributeValue.fromS("ecs-1")))).item());
    assertEquals(n(now + 1), dynamo.client().getItem(b -> b.tableName(TABLE).key(Map.of("id", AttributeValue.fromS("ecs-2")))).item().get("expires_at"),
        "a collector stays live at least a second");
  }

  @Test
  void liveCollectorsAreThoseWhoseHeartbeatHasNotExpiredSortedById() {
    registry().heartbeat("ecs-b", Duration.ofSeconds(60));
    registry().heartbeat("ecs-a", Duration.ofSeconds(120));
    registry().heartbeat("ecs-c", Duration.ofSeconds(30));
    dynamo.client().putItem(b -> b.tableName(TABLE).item(Map.of("id", AttributeValue.fromS("no-expiry"))));
    assertEquals(List.of("ecs-a", "ecs-b", "ecs-c"), registry().live());
    clock.advance(Duration.ofSeconds(60));
    assertEquals(List.of("ecs-a"), registry().live());
  }

  @Test
  void anIdThatIsNotACollectorsIsRefusedBeforeAnythingIsWritten() {
    assertThrows(InvalidTargetException.class, () -> registry().heartbeat("lambda-0", Duration.ofSeconds(60)));
    assertThrows(InvalidTargetException.class, () -> registry().heartbeat("no spaces", Duration.ofSeconds(60)));
    assertEquals(0, dynamo.count(TABLE));
  }
}
