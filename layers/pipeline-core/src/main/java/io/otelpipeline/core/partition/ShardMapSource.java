package io.otelpipeline.core.partition;

/** Where the current shard layout of a stream comes from (ListShards, or a fixed layout in tests). */
@FunctionalInterface
public interface ShardMapSource {
  ShardMap load(String streamName);
}
