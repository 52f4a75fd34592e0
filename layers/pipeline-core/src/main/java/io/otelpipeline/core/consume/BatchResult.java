package io.otelpipeline.core.consume;

import java.util.List;

/**
 * The outcome of handling a batch of stream records: the sequence number of the first record not
 * handled, if any. The event source checkpoints before it and retries from it.
 */
public record BatchResult(List<String> failedSequenceNumbers) {
  public static BatchResult allHandled() {
    return new BatchResult(List.of());
  }

  public static BatchResult failedFrom(String sequenceNumber) {
    return new BatchResult(List.of(sequenceNumber));
  }
}
