package io.otelpipeline.core.targets;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A collector's item in the collectors table: its {@code id}, its {@code last_heartbeat} and
 * {@code expires_at}, the table's TTL, both in epoch seconds; no expiry means not live.
 */
record HeartbeatItem(String id, long lastHeartbeat, Long expiresAt) {
  static final TableSchema<HeartbeatItem> SCHEMA =
      StaticImmutableTableSchema.builder(HeartbeatItem.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name("id").getter(HeartbeatItem::id).setter((b, v) -> b.id = v).tags(primaryPartitionKey()))
          .addAttribute(Long.class, a -> a.name("last_heartbeat").getter(HeartbeatItem::lastHeartbeat).setter((b, v) -> b.lastHeartbeat = v))
          .addAttribute(Long.class, a -> a.name("expires_at").getter(HeartbeatItem::expiresAt).setter((b, v) -> b.expiresAt = v))
          .build();

  boolean liveAt(long epochSecond) {
    return expiresAt != null && expiresAt > epochSecond;
  }

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private String id;
    private long lastHeartbeat;
    private Long expiresAt;

    HeartbeatItem build() {
      return new HeartbeatItem(id, lastHeartbeat, expiresAt);
    }
  }
}
