package io.otelpipeline.core.scaling;

import java.time.Duration;

/**
 * A stream's write side over the window: writes Kinesis refused for throughput
 * ({@code WriteProvisionedThroughputExceeded}) and records and bytes written, summed per period.
 */
public record StreamSignals(String stream, int shards, Duration period, MetricSeries writeThrottled, MetricSeries incomingRecords, MetricSeries incomingBytes) {
  /** Kinesis' write limit per shard: 1,000 records per second. */
  public static final double RECORDS_PER_SHARD_SECOND = 1_000;
  /** Kinesis' write limit per shard: 1 MiB per second. */
  public static final double BYTES_PER_SHARD_SECOND = 1024 * 1024;

  /** The busiest period's use of the shards' write limits, records or bytes, whichever is nearer its limit. */
  public double peakUtilization() {
    double seconds = period.toMillis() / 1000.0 * shards;
    return Math.max(incomingRecords.max() / (seconds * RECORDS_PER_SHARD_SECOND), incomingBytes.max() / (seconds * BYTES_PER_SHARD_SECOND));
  }
}
