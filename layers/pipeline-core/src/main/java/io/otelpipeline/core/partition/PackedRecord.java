package io.otelpipeline.core.partition;

import java.math.BigInteger;

/**
 * One stream record ready to write: the envelope bytes, the partition key, the explicit hash key
 * that places it on the intended shard, and how many items (spans, points, log records) it holds.
 */
public record PackedRecord(String partitionKey, BigInteger explicitHashKey, byte[] data, int itemCount) {
  public String explicitHashKeyDecimal() {
    return explicitHashKey == null ? null : explicitHashKey.toString();
  }
}
