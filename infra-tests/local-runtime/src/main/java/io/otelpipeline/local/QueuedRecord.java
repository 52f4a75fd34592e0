package io.otelpipeline.local;

import java.time.Instant;

/** A record read from a shard and waiting for its function: what Lambda's event needs, and when it was read. */
record QueuedRecord(String shardId, String sequenceNumber, String partitionKey, byte[] data, Instant arrival, long readAtNanos) {
  /** Its share of the invocation payload: base64 data plus the event's JSON around it. */
  int payloadBytes() {
    return (data.length + 2) / 3 * 4 + 300;
  }
}
