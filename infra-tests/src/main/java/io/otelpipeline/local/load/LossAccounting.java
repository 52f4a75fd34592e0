package io.otelpipeline.local.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Where every accepted span went, trace by trace: the sampler's recorded decision for its trace
 * (the decisions table, read directly) says kept or dropped; a kept trace's spans must all be at
 * the sink or kept in the failure destination. What has no decision yet and is in neither place
 * is undecided; what a kept trace lacks at both is missing. Both are loss if they remain once the
 * pipeline has drained.
 */
final class LossAccounting {
  private static final int BATCH_GET_KEYS = 100;

  private final DynamoDbClient dynamoDb;
  private final String decisionsTable;
  private final Map<String, Boolean> decided = new HashMap<>();

  LossAccounting(DynamoDbClient dynamoDb, String decisionsTable) {
    this.dynamoDb = dynamoDb;
    this.decisionsTable = decisionsTable;
  }

  /**
   * Spans accepted, exported, dropped by a decision, kept in the failure destination (and not at
   * the sink), waiting for a decision, and kept by one but neither at the sink nor in the failure
   * destination.
   */
  record Tally(long accepted, long exported, long dropped, long inFailureDestination, long undecided, long missing) {
    boolean complete() {
      return undecided == 0 && missing == 0;
    }
  }

  /**
   * Looks up the decisions it does not know yet and counts; {@code exportedByTrace} is the sink's
   * unique spans per trace, {@code failedByTrace} the spans per trace in the failure destination
   * that are not at the sink.
   */
  Tally tally(Map<String, Integer> accepted, Map<String, Integer> exportedByTrace, Map<String, Integer> failedByTrace) {
    List<String> unknown = accepted.keySet().stream().filter(t -> !decided.containsKey(t)).toList();
    for (int i = 0; i < unknown.size(); i += BATCH_GET_KEYS) {
      read(unknown.subList(i, Math.min(unknown.size(), i + BATCH_GET_KEYS)));
    }
    long total = 0;
    long exported = 0;
    long dropped = 0;
    long failed = 0;
    long undecided = 0;
    long missing = 0;
    for (Map.Entry<String, Integer> e : accepted.entrySet()) {
      int spans = e.getValue();
      int atSink = Math.min(spans, exportedByTrace.getOrDefault(e.getKey(), 0));
      int kept = Math.min(spans - atSink, failedByTrace.getOrDefault(e.getKey(), 0));
      total += spans;
      exported += atSink;
      Boolean keep = decided.get(e.getKey());
      if (keep != null && !keep) {
        dropped += spans;
        continue;
      }
      failed += kept;
      if (keep == null) {
        undecided += spans - atSink - kept;
      } else {
        missing += spans - atSink - kept;
      }
    }
    return new Tally(total, exported, dropped, failed, undecided, missing);
  }

  private void read(List<String> traceIds) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    traceIds.forEach(t -> keys.add(Map.of("traceId", AttributeValue.fromS(t))));
    Map<String, KeysAndAttributes> request = Map.of(decisionsTable,
        KeysAndAttributes.builder().keys(keys).projectionExpression("traceId, #k").expressionAttributeNames(Map.of("#k", "keep")).build());
    while (!request.isEmpty()) {
      Map<String, KeysAndAttributes> current = request;
      BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(current));
      for (Map<String, AttributeValue> item : response.responses().getOrDefault(decisionsTable, List.of())) {
        decided.put(item.get("traceId").s(), item.get("keep").bool());
      }
      request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
    }
  }
}
