package io.otelpipeline.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A function's Kinesis event source as the template configures it, with Lambda's defaults for
 * what it leaves out. {@code maximumRetryAttempts} and {@code maximumRecordAge} are empty for
 * "infinite", as Lambda's -1.
 */
public record KinesisSource(
    String eventName,
    String streamLogicalId,
    String streamArn,
    String startingPosition,
    Optional<Instant> startingTimestamp,
    int batchSize,
    Duration batchingWindow,
    int parallelizationFactor,
    boolean bisectOnError,
    Optional<Integer> maximumRetryAttempts,
    Optional<Duration> maximumRecordAge,
    boolean reportBatchItemFailures,
    Optional<String> onFailureDestination) {

  /** Lambda's default BatchSize for Kinesis. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  /** Lambda's largest invocation payload: a batch stops growing before it. */
  public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
}
