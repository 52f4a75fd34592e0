package io.otelpipeline.core.shardstate;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * The fence item of one consumer's shard in the shard-state table (partition key {@code shard}:
 * consumer and shard id): which saved version of the state is current, the sequence number it
 * takes in records up to, the S3 object that holds it, and when it was saved (epoch millis).
 */
record FenceItem(String shard, long version, String sequence, String object, long savedAt) {
  static final String KEY = "shard";
  static final String VERSION = "version";

  static final TableSchema<FenceItem> SCHEMA =
      StaticImmutableTableSchema.builder(FenceItem.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name(KEY).getter(FenceItem::shard).setter((b, v) -> b.shard = v).tags(primaryPartitionKey()))
          .addAttribute(Long.class, a -> a.name(VERSION).getter(FenceItem::version).setter((b, v) -> b.version = v))
          .addAttribute(String.class, a -> a.name("sequence").getter(FenceItem::sequence).setter((b, v) -> b.sequence = v))
          .addAttribute(String.class, a -> a.name("object").getter(FenceItem::object).setter((b, v) -> b.object = v))
          .addAttribute(Long.class, a -> a.name("savedAt").getter(FenceItem::savedAt).setter((b, v) -> b.savedAt = v))
          .build();

  /** The state version the fence points at. */
  ShardStateVersion stateVersion(String shardId) {
    return new ShardStateVersion(shardId, version, sequence, object);
  }

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private String shard;
    private long version;
    private String sequence;
    private String object;
    private long savedAt;

    FenceItem build() {
      return new FenceItem(shard, version, sequence, object, savedAt);
    }
  }
}
