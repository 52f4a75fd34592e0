package io.otelpipeline.core.shardstate;

import java.util.Optional;

/**
 * What a sequential consumer of one shard carries from one invocation to the next, saved once per
 * invocation. A save names the version it follows and fails if another save came between, so
 * neither a retried batch nor a second invocation for the same shard can fork the state.
 */
public interface ShardStateStore {
  /** The current version of the shard's state, or empty when none was ever saved. */
  Optional<ShardStateVersion> current(String shardId);

  /** The state saved as {@code version}. */
  byte[] read(ShardStateVersion version);

  /**
   * Saves {@code state} as the shard's state taking in every record up to {@code sequenceNumber},
   * following {@code previous} (empty: the first save for the shard).
   *
   * @throws ShardStateConflict when the shard's current version is no longer {@code previous}
   */
  ShardStateVersion save(String shardId, Optional<ShardStateVersion> previous, String sequenceNumber, byte[] state);
}
