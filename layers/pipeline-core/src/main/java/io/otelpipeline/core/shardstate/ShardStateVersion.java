package io.otelpipeline.core.shardstate;

import java.math.BigInteger;

/**
 * Which state of a shard's consumer is current: its version (one more at every save), the
 * sequence number of the last record it has taken in, and the object holding it.
 */
public record ShardStateVersion(String shardId, long version, String sequenceNumber, String objectKey) {
  /** Whether the record with this sequence number is already in the state (a retry of it adds nothing). */
  public boolean covers(String recordSequenceNumber) {
    return new BigInteger(recordSequenceNumber).compareTo(new BigInteger(sequenceNumber)) <= 0;
  }
}
