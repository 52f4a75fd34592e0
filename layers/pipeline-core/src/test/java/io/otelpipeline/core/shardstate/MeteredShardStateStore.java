package io.otelpipeline.core.shardstate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Shard states in memory, counting the requests {@link S3ShardStateStore} would make for the same
 * calls (a consistent fence read, an object PUT and a conditional fence write per save, an object
 * GET per read) and the bytes it would store, for cost simulations and benchmarks.
 */
public final class MeteredShardStateStore implements ShardStateStore {
  private final Map<String, ShardStateVersion> fences = new HashMap<>();
  private final Map<String, byte[]> objects = new HashMap<>();
  public long fenceReads;
  public long fenceWrites;
  public long objectPuts;
  public long objectGets;
  public long bytesPut;
  public long largestState;

  @Override
  public Optional<ShardStateVersion> current(String shardId) {
    fenceReads++;
    return Optional.ofNullable(fences.get(shardId));
  }

  @Override
  public byte[] read(ShardStateVersion version) {
    objectGets++;
    return objects.get(version.objectKey());
  }

  @Override
  public ShardStateVersion save(String shardId, Optional<ShardStateVersion> previous, String sequenceNumber, byte[] state) {
    objectPuts++;
    fenceWrites++;
    bytesPut += state.length;
    largestState = Math.max(largestState, state.length);
    if (!Optional.ofNullable(fences.get(shardId)).equals(previous)) {
      throw new ShardStateConflict(shardId, previous.map(ShardStateVersion::version).orElse(0L));
    }
    ShardStateVersion next = new ShardStateVersion(shardId, previous.map(p -> p.version() + 1).orElse(1L), sequenceNumber, shardId + "/" + fenceWrites);
    previous.ifPresent(p -> objects.remove(p.objectKey()));
    objects.put(next.objectKey(), state);
    fences.put(shardId, next);
    return next;
  }
}
