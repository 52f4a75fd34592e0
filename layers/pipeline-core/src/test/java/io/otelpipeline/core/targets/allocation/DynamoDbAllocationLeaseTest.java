package io.otelpipeline.core.targets.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.testing.LocalDynamoDbTables;
import io.otelpipeline.core.testing.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The allocator's lease item in the scrape state table. */
class DynamoDbAllocationLeaseTest {
  static final String TABLE = "scrape-state";
  static final Duration TERM = Duration.ofSeconds(55);
  @RegisterExtension static final LocalDynamoDbTables dynamo = new LocalDynamoDbTables(TableSpec.byId(TABLE));

  final Instant now = Instant.parse("2024-05-01T10:00:00Z");

  AllocationLease lease() {
    return new DynamoDbAllocationLease(dynamo.client(), TABLE, TERM);
  }

  static Map<String, AttributeValue> stored() {
    return dynamo.client().getItem(b -> b.tableName(TABLE).key(Map.of("id", AttributeValue.fromS("lease/allocator")))).item();
  }

  @Test
  void theLeaseItemNamesItsHolderAndWhenItsTermEnds() {
    assertTrue(lease().acquire(now).isPresent());
    Map<String, AttributeValue> item = stored();
    assertEquals(List.of("expires_at", "holder", "id", "until"), item.keySet().stream().sorted().toList());
    assertEquals(AttributeValue.fromN(Long.toString(now.plus(TERM).toEpochMilli())), item.get("until"));
    assertEquals(AttributeValue.fromN(Long.toString(now.plus(TERM).plus(Duration.ofDays(1)).getEpochSecond())), item.get("expires_at"));
    assertEquals(36, item.get("holder").s().length(), "a random UUID");
  }

  @Test
  void aHeldLeaseIsRefusedUntilItsTermRunsOutAndAnExpiredHolderCannotEndItsSuccessors() {
    Optional<AllocationLease.Held> first = lease().acquire(now);
    assertTrue(first.isPresent());
    assertFalse(lease().acquire(now.plus(TERM)).isPresent(), "held until the term has passed");
    Optional<AllocationLease.Held> second = lease().acquire(now.plus(TERM).plusMillis(1));
    assertTrue(second.isPresent());
    String holder = stored().get("holder").s();

    first.get().close();
    assertEquals(holder, stored().get("holder").s(), "the first run's lease ran out: the second's is not its to end");
    second.get().close();
    assertTrue(stored().isEmpty());
    assertTrue(lease().acquire(now.plus(TERM).plusMillis(2)).isPresent());
    assertNotEquals(holder, stored().get("holder").s());
  }
}
