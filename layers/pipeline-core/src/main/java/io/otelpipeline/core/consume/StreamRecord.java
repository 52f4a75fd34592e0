package io.otelpipeline.core.consume;

import java.time.Instant;

/** One record read from a stream, as the event source delivered it. */
public record StreamRecord(
    String streamArn, String shardId, String sequenceNumber, String partitionKey, byte[] data, Instant arrival) {}
