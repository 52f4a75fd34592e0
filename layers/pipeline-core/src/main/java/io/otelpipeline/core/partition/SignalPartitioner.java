package io.otelpipeline.core.partition;

import com.google.protobuf.InvalidProtocolBufferException;

/** Splits an OTLP request of one signal into records placed on the stream's shards. */
public interface SignalPartitioner {
  /**
   * @param otlpRequest the protobuf bytes of an Export*ServiceRequest
   * @throws InvalidProtocolBufferException when the bytes are not a valid request
   */
  Partitioned partition(byte[] otlpRequest, ShardMap shards) throws InvalidProtocolBufferException;
}
