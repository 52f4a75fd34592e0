package io.otelpipeline.core.stream;

import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.partition.ShardMapSource;
import io.otelpipeline.core.record.Tick;
import java.time.Instant;
import java.util.List;

/**
 * Writes a {@link Tick} to every open shard of a stream, each placed by the shard's starting hash
 * key, so that the consumers of an idle shard see its time move on and decide what is due.
 */
public final class TickWriter implements ShardTicks {
  private final ShardMapSource shards;
  private final StreamWriter writer;

  public TickWriter(ShardMapSource shards, StreamWriter writer) {
    this.shards = shards;
    this.writer = writer;
  }

  /** Ticks one shard, placed by its starting hash key (a closed shard's tick lands in the child owning that key). */
  @Override
  public void tick(String streamArn, ShardMap.ShardRange shard) {
    String streamName = KinesisShardLineage.streamName(streamArn);
    WriteOutcome outcome =
        writer.write(streamName, List.of(new PackedRecord(Tick.PARTITION_KEY, shard.startingHashKey(), Tick.record(), 0)), Instant.now().plusSeconds(5));
    if (!outcome.complete()) {
      throw new IllegalStateException("the tick did not reach " + shard.shardId() + " of " + streamName + ": " + outcome.lastError());
    }
  }

  /** Ticks every open shard; returns how many. Fails, naming the stream, when a tick did not reach its shard by {@code deadline}. */
  public int tick(String streamName, Instant deadline) {
    ShardMap map = shards.load(streamName);
    List<PackedRecord> ticks = map.shards().stream()
        .map(s -> new PackedRecord(Tick.PARTITION_KEY, s.startingHashKey(), Tick.record(), 0))
        .toList();
    WriteOutcome outcome = writer.write(streamName, ticks, deadline);
    if (!outcome.complete()) {
      throw new IllegalStateException(
          outcome.recordsFailed() + " of " + ticks.size() + " ticks did not reach the shards of " + streamName + ": " + outcome.lastError());
    }
    return ticks.size();
  }
}
