package io.otelpipeline.load.cost;

import java.time.Duration;
import java.util.stream.IntStream;

/**
 * What one Kinesis stream was used for in a run, in the units both capacity modes bill:
 * shard-hours and PUT payload units (provisioned), stream-hours and KB-rounded GB in and out (on demand).
 */
public record StreamUsage(
    String stream, StreamMode mode, int shards, Duration open, long records, long putPayloadUnits, long billedBytesIn, long billedBytesOut) {
  /** A PUT payload unit is each started 25 KB of a record. */
  public static final int PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
  /** On demand, each record is billed rounded up to the next KB. */
  public static final int ON_DEMAND_ROUNDING_BYTES = 1024;

  public enum StreamMode {
    PROVISIONED,
    ON_DEMAND
  }

  /**
   * From the sizes of the records written; every one of {@code consumers} reads each record once
   * (each Lambda event source mapping polls the stream on its own).
   */
  public static StreamUsage ofRecords(String stream, StreamMode mode, int shards, Duration open, int consumers, IntStream recordSizes) {
    long[] totals = new long[3];
    recordSizes.forEach(size -> {
      if (size <= 0) {
        throw new IllegalArgumentException(stream + ": a record size must be positive, not " + size);
      }
      totals[0]++;
      totals[1] += ceilDiv(size, PUT_PAYLOAD_UNIT_BYTES);
      totals[2] += ceilDiv(size, ON_DEMAND_ROUNDING_BYTES) * ON_DEMAND_ROUNDING_BYTES;
    });
    return new StreamUsage(stream, mode, shards, open, totals[0], totals[1], totals[2], totals[2] * consumers);
  }

  public double shardHours() {
    return shards * hours();
  }

  public double hours() {
    return open.toMillis() / 3_600_000.0;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
