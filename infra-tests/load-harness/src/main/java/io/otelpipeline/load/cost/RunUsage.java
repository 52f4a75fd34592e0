package io.otelpipeline.load.cost;

import java.util.List;

/**
 * The operations counted in one run of the pipeline: the spans and traces it received, and what
 * handling them consumed in Lambda, Kinesis, DynamoDB and S3 (the consumers' shard states), and
 * the requests it sent to the backend.
 */
public record RunUsage(
    long spans,
    long traces,
    List<FunctionUsage> functions,
    List<StreamUsage> streams,
    long readRequestUnits,
    long writeRequestUnits,
    long exportRequests,
    long exportedBytes,
    long objectPuts,
    long objectGets) {
  public RunUsage {
    functions = List.copyOf(functions);
    streams = List.copyOf(streams);
    if (spans <= 0) {
      throw new IllegalArgumentException("a run must count at least one span to price it per million spans, not " + spans);
    }
    if (traces < 0 || readRequestUnits < 0 || writeRequestUnits < 0 || exportRequests < 0 || exportedBytes < 0 || objectPuts < 0
        || objectGets < 0) {
      throw new IllegalArgumentException("counted operations cannot be negative");
    }
  }
}
