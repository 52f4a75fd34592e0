package io.otelpipeline.core.stream;

import io.otelpipeline.core.partition.ShardMap;

/**
 * Puts a tick into one shard, so that the shard's time moves on even when no more traffic comes:
 * a consumer holding traces that wait for their decision ticks its own shard, and its next
 * invocation, a batching window later, finds them due.
 */
@FunctionalInterface
public interface ShardTicks {
  void tick(String streamArn, ShardMap.ShardRange shard);

  /** For a consumer that relies on the scheduled ticks alone. */
  static ShardTicks none() {
    return (streamArn, shard) -> {};
  }
}
