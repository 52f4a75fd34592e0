package io.otelpipeline.core.shardstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.testing.LocalS3;
import io.otelpipeline.core.testing.LocalShardStates;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Shard states in S3Proxy behind a fence item in DynamoDB Local, through the real SDK clients. */
class S3ShardStateStoreTest {
  private static final String BUCKET = LocalShardStates.BUCKET;
  private static LocalShardStates stores;
  private static LocalS3 s3;

  @BeforeAll
  static void start() {
    stores = LocalShardStates.start();
    s3 = stores.s3();
  }

  @AfterAll
  static void stop() {
    stores.close();
  }

  private static S3ShardStateStore store(String consumer) {
    return stores.store(consumer);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSaveBecomesCurrentAndReplacesTheObjectBeforeIt() {
    S3ShardStateStore store = store("sampler-a");
    assertEquals(Optional.empty(), store.current("shardId-000000000001"));
    ShardStateVersion first = store.save("shardId-000000000001", Optional.empty(), "100", bytes("one"));
    ShardStateVersion second = store.save("shardId-000000000001", Optional.of(first), "205", bytes("two"));

    ShardStateVersion current = store.current("shardId-000000000001").orElseThrow();
    assertEquals(second, current);
    assertEquals(2, current.version());
    assertArrayEquals(bytes("two"), store.read(current));
    assertTrue(current.covers("205") && current.covers("99"));
    assertFalse(current.covers("206"));
    List<String> objects = s3.keys(BUCKET).stream().filter(k -> k.startsWith("sampler-a/shardId-000000000001/")).toList();
    assertEquals(List.of(second.objectKey()), objects, "the replaced object is deleted");
  }

  @Test
  void aSaveFollowingAVersionThatIsNoLongerCurrentFailsAndLeavesNothing() {
    S3ShardStateStore store = store("sampler-b");
    ShardStateVersion first = store.save("shardId-000000000002", Optional.empty(), "10", bytes("first"));
    ShardStateVersion winner = store.save("shardId-000000000002", Optional.of(first), "20", bytes("winner"));

    assertThrows(ShardStateConflict.class, () -> store.save("shardId-000000000002", Optional.of(first), "30", bytes("late")));
    assertThrows(ShardStateConflict.class, () -> store.save("shardId-000000000002", Optional.empty(), "30", bytes("fresh")));

    assertEquals(winner, store.current("shardId-000000000002").orElseThrow());
    assertArrayEquals(bytes("winner"), store.read(winner));
    assertEquals(List.of(winner.objectKey()), s3.keys(BUCKET).stream().filter(k -> k.startsWith("sampler-b/")).toList());
  }

  @Test
  void consumersAndShardsKeepTheirOwnStates() {
    store("sampler-c").save("shardId-000000000003", Optional.empty(), "1", bytes("sampler"));
    store("metrics-c").save("shardId-000000000003", Optional.empty(), "2", bytes("metrics"));

    assertArrayEquals(bytes("sampler"), store("sampler-c").read(store("sampler-c").current("shardId-000000000003").orElseThrow()));
    assertArrayEquals(bytes("metrics"), store("metrics-c").read(store("metrics-c").current("shardId-000000000003").orElseThrow()));
    assertEquals(Optional.empty(), store("sampler-c").current("shardId-000000000004"));
  }

  @Test
  void theFenceItemNamesTheCurrentVersionItsSequenceNumberAndItsObject() {
    ShardStateVersion saved = store("sampler-d").save("shardId-000000000005", Optional.empty(), "4711", bytes("state"));
    Map<String, AttributeValue> fence =
        stores.dynamo().client()
            .getItem(b -> b.tableName(LocalShardStates.TABLE).key(Map.of("shard", AttributeValue.fromS("sampler-d/shardId-000000000005"))))
            .item();
    assertEquals(List.of("object", "savedAt", "sequence", "shard", "version"), fence.keySet().stream().sorted().toList());
    assertEquals(AttributeValue.fromN("1"), fence.get("version"));
    assertEquals(AttributeValue.fromS("4711"), fence.get("sequence"));
    assertEquals(AttributeValue.fromS(saved.objectKey()), fence.get("object"));
    assertTrue(Long.parseLong(fence.get("savedAt").n()) > 0);
  }
}
