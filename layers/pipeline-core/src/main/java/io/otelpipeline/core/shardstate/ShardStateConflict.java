package io.otelpipeline.core.shardstate;

/**
 * Another invocation saved the shard's state after this one loaded it (a retry racing a
 * late-running attempt): this one's work is not saved and its batch must be retried from the
 * newer state.
 */
public final class ShardStateConflict extends RuntimeException {
  public ShardStateConflict(String shardId, long expectedVersion) {
    super("the state of " + shardId + " moved past version " + expectedVersion + " while this invocation worked; its batch is retried from the newer state");
  }
}
