package io.otelpipeline.core.stream;

import java.util.List;

/**
 * The shards a shard descends from after resharding. Lambda reads a parent to its end before its
 * children, so a child's consumer carries on with what its parents left undone.
 */
@FunctionalInterface
public interface ShardLineage {
  /** The parents of {@code shardId} in {@code streamArn}, their parents and so on, nearest first; empty for an original shard. */
  List<String> ancestors(String streamArn, String shardId);

  /** For a stream that is never resharded. */
  static ShardLineage none() {
    return (streamArn, shardId) -> List.of();
  }
}
