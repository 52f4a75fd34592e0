package io.otelpipeline.core.stream;

/**
 * What a write achieved: records and items that reached the stream, those that did not, whether
 * the stream throttled, and the last error seen.
 */
public record WriteOutcome(
    int recordsWritten, int recordsFailed, long itemsWritten, long itemsFailed, boolean throttled, String lastError) {
  public boolean complete() {
    return recordsFailed == 0;
  }
}
