package io.otelpipeline.core.sampling.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Decisions in a DynamoDB table keyed by trace id. The first decision is recorded with a
 * conditional put, so concurrent invocations (other shards after a reshard, a parallelization
 * factor above 1, a retry) agree on one; expiry is a TTL attribute, sized by time.
 *
 * <p>Item: {@code traceId} (S, key), {@code keep} (BOOL), {@code policy} (S), {@code probability}
 * (N, hash-based keeps only), {@code decidedAt} (N, epoch ms), {@code exported} (SS, span ids),
 * {@code expiresAt} (N, epoch seconds, the table's TTL attribute).
 */
public final class DynamoDbDecisionStore implements DecisionStore {
  /** BatchGetItem's limit. */
  static final int GET_BATCH = 100;

  private final DynamoDbClient client;
  private final String table;
  private final Duration ttl;
  private final Clock clock;

  public DynamoDbDecisionStore(DynamoDbClient client, String table, Duration ttl, Clock clock) {
    this.client = client;
    this.table = table;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public Map<String, TraceDecision> find(Collection<String> traceIds) {
    Map<String, TraceDecision> out = new HashMap<>();
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(traceIds));
    for (int i = 0; i < ids.size(); i += GET_BATCH) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String id : ids.subList(i, Math.min(ids.size(), i + GET_BATCH))) {
        keys.add(Map.of("traceId", AttributeValue.fromS(id)));
      }
      // Eventually consistent (half the read units): a decision missed here is caught by the
      // conditional put in record(), which then returns the stored one.
      Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
      for (int attempt = 0; !request.isEmpty(); attempt++) {
        Backoff.pause(attempt, "BatchGetItem on " + table);
        Map<String, KeysAndAttributes> pending = request;
        BatchGetItemResponse r = client.batchGetItem(b -> b.requestItems(pending));
        for (Map<String, AttributeValue> item : r.responses().getOrDefault(table, List.of())) {
          TraceDecision d = decode(item);
          out.put(d.traceId(), d);
        }
        request = r.unprocessedKeys();
      }
    }
    return out;
  }

  @Override
  public TraceDecision record(TraceDecision decision) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("traceId", AttributeValue.fromS(decision.traceId()));
    item.put("keep", AttributeValue.fromBool(decision.keep()));
    item.put("policy", AttributeValue.fromS(decision.policy()));
    decision.probability().ifPresent(p -> item.put("probability", AttributeValue.fromN(Double.toString(p))));
    item.put("decidedAt", AttributeValue.fromN(Long.toString(decision.decidedAt().toEpochMilli())));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(ttl).getEpochSecond())));
    if (!decision.exportedSpanIds().isEmpty()) {
      item.put("exported", AttributeValue.fromSs(List.copyOf(decision.exportedSpanIds())));
    }
    try {
      client.putItem(
          b ->
              b.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(traceId)")
                  .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return decision;
    } catch (ConditionalCheckFailedException lost) {
      if (lost.hasItem() && !lost.item().isEmpty()) {
        return decode(lost.item());
      }
      Map<String, AttributeValue> stored =
          client.getItem(b -> b.tableName(table).key(Map.of("traceId", AttributeValue.fromS(decision.traceId()))).consistentRead(true)).item();
      return decode(stored);
    }
  }

  @Override
  public void markExported(String traceId, Collection<String> spanIds) {
    if (spanIds.isEmpty()) {
      return;
    }
    client.updateItem(
        b ->
            b.tableName(table)
                .key(Map.of("traceId", AttributeValue.fromS(traceId)))
                .updateExpression("ADD exported :ids")
                .conditionExpression("attribute_exists(traceId)")
                .expressionAttributeValues(Map.of(":ids", AttributeValue.fromSs(List.copyOf(new LinkedHashSet<>(spanIds))))));
  }

  private static TraceDecision decode(Map<String, AttributeValue> item) {
    AttributeValue p = item.get("probability");
    AttributeValue exported = item.get("exported");
    Set<String> spans = exported == null ? Set.of() : Set.copyOf(exported.ss());
    return new TraceDecision(
        item.get("traceId").s(),
        item.get("keep").bool(),
        item.get("policy").s(),
        p == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(p.n())),
        Instant.ofEpochMilli(Long.parseLong(item.get("decidedAt").n())),
        spans);
  }
}
