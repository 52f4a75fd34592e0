package io.otelpipeline.core.stream;

import io.otelpipeline.core.partition.HashKey;
import io.otelpipeline.core.partition.ShardMap;
import java.math.BigInteger;
import java.util.List;

/**
 * Where a shard comes from after resharding. Lambda reads a parent to its end before its children,
 * so a child's consumer starts from what its parents left, keeping what falls in its own hash keys.
 */
@FunctionalInterface
public interface ShardLineage {
  /** The hash keys a shard owns and the shards it was made from (two for a merge, one for a split, none for an original shard). */
  record Origin(ShardMap.ShardRange range, List<String> parents) {
    public Origin {
      parents = List.copyOf(parents);
    }

    /** Whether a record with this hash key belongs to the shard. */
    public boolean owns(BigInteger hashKey) {
      return range.startingHashKey().compareTo(hashKey) <= 0 && hashKey.compareTo(range.endingHashKey()) <= 0;
    }

    /** Whether the trace with this 16-byte id belongs to the shard (ingest places a trace by the hash of its hex id). */
    public boolean ownsTrace(byte[] traceId) {
      return owns(HashKey.ofTraceId(traceId, 0));
    }
  }

  Origin origin(String streamArn, String shardId);

  /** For a stream that is never resharded: every shard owns every key it is sent, and has no parents. */
  static ShardLineage none() {
    return (streamArn, shardId) -> new Origin(new ShardMap.ShardRange(shardId, BigInteger.ZERO, ShardMap.MAX_HASH_KEY), List.of());
  }
}
