package io.otelpipeline.core.sampling.state;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Spans of traces that are not yet due, parked between invocations. */
public interface TraceBuffer {
  void park(Collection<ParkedChunk> chunks);

  /**
   * Ids of traces with a chunk parked from one of {@code shardIds} and due at or before
   * {@code now} (the time those shards have been read to), at most {@code limit} of them, oldest
   * first per shard.
   */
  List<String> due(List<String> shardIds, Instant now, int limit);

  /** Every chunk parked for the trace. */
  List<ParkedChunk> load(String traceId);

  void remove(Collection<ParkedChunk> chunks);
}
