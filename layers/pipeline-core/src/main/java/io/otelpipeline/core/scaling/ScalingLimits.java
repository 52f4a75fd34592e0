package io.otelpipeline.core.scaling;

/** The bounds the advisor keeps to (the template's MinShards and MaxShards). */
public record ScalingLimits(int minShards, int maxShards) {
  /** Lambda's limit on concurrent batches per shard. */
  public static final int MAX_PARALLELIZATION = 10;

  public ScalingLimits {
    if (minShards < 1 || maxShards < minShards) {
      throw new IllegalArgumentException("shard bounds must satisfy 1 <= MinShards <= MaxShards, not " + minShards + ".." + maxShards);
    }
  }
}
