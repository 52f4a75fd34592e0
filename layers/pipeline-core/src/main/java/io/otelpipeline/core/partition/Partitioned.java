package io.otelpipeline.core.partition;

import java.util.List;

/**
 * The result of splitting one OTLP request into stream records: the records, how many items they
 * carry, and how many items were rejected and why (reported to the client as partial_success).
 */
public record Partitioned(List<PackedRecord> records, long acceptedItems, long rejectedItems, String rejectionMessage) {
  public Partitioned {
    records = List.copyOf(records);
  }
}
