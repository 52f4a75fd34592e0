package io.otelpipeline.core.stream;

/**
 * What a write achieved: records and items that reached the stream, those that did not, whether
 * the stream throttled, the last error seen, and how many records landed on a shard other than
 * the writer's shard map predicted (the stream was resharded since the map was read).
 */
public record WriteOutcome(
    int recordsWritten, int recordsFailed, long itemsWritten, long itemsFailed, boolean throttled, String lastError, int recordsMisplaced) {
  /** An outcome with every written record where it was meant to land. */
  public WriteOutcome(int recordsWritten, int recordsFailed, long itemsWritten, long itemsFailed, boolean throttled, String lastError) {
    this(recordsWritten, recordsFailed, itemsWritten, itemsFailed, throttled, lastError, 0);
  }

  public boolean complete() {
    return recordsFailed == 0;
  }
}
