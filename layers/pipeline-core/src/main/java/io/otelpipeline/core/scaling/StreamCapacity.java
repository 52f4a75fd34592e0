package io.otelpipeline.core.scaling;

/** A stream's shard count: read it, and change it. */
public interface StreamCapacity {
  int openShards(String streamArn);

  /** True when Kinesis sizes the stream itself (ON_DEMAND), which refuses UpdateShardCount. */
  boolean onDemand(String streamArn);

  void resize(String streamArn, int shards);
}
