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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Decisions in a DynamoDB table keyed by trace id. The first decision is recorded with a
 * conditional put, so concurrent invocations (other shards after a reshard, a parallelization
 * factor above 1, a retry) agree on one; expiry is a TTL attribute, sized by time.
 *
 * <p>The export claim is two attributes of the same item, taken by the conditional put of a kept
 * decision or by a conditional update, and removed by the write that records the exported span
 * ids; so the usual kept trace costs no more writes than without it.
 *
 * <p>Item: {@code traceId} (S, key), {@code keep} (BOOL), {@code policy} (S), {@code compositePolicy} (S, for a composite's keep), {@code probability}
 * (N, hash-based keeps only), {@code decidedAt} (N, epoch ms), {@code exported} (SS, span ids),
 * {@code claimant} (S) and {@code claimedUntil} (N, epoch ms) while an export is under way,
 * {@code expiresAt} (N, epoch seconds, the table's TTL attribute).
 */
public final class DynamoDbDecisionStore implements DecisionStore {
  /** BatchGetItem's limit. */
  static final int GET_BATCH = 100;
  /**
   * How long an export claim holds: longer than the sampler's 120 s function timeout, so a live
   * invocation never loses it; a dead one's spans wait this long.
   */
  public static final Duration EXPORT_CLAIM = Duration.ofMinutes(3);

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
  public TraceDecision record(TraceDecision decision, String claimant) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("traceId", AttributeValue.fromS(decision.traceId()));
    item.put("keep", AttributeValue.fromBool(decision.keep()));
    item.put("policy", AttributeValue.fromS(decision.policy()));
    decision.compositePolicy().ifPresent(c -> item.put("compositePolicy", AttributeValue.fromS(c)));
    decision.probability().ifPresent(p -> item.put("probability", AttributeValue.fromN(Double.toString(p))));
    item.put("decidedAt", AttributeValue.fromN(Long.toString(decision.decidedAt().toEpochMilli())));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(ttl).getEpochSecond())));
    if (!decision.exportedSpanIds().isEmpty()) {
      item.put("exported", AttributeValue.fromSs(List.copyOf(decision.exportedSpanIds())));
    }
    ExportClaim claim = new ExportClaim(claimant, clock.instant().plus(EXPORT_CLAIM));
    if (decision.keep()) {
      item.put("claimant", AttributeValue.fromS(claimant));
      item.put("claimedUntil", AttributeValue.fromN(Long.toString(claim.until().toEpochMilli())));
    }
    try {
      client.putItem(
          b ->
              b.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(traceId)")
                  .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return decision.keep() ? decision.claimedBy(claim) : decision;
    } catch (ConditionalCheckFailedException lost) {
      if (lost.hasItem() && !lost.item().isEmpty()) {
        return decode(lost.item());
      }
      Map<String, AttributeValue> stored =
          client.getItem(b -> b.tableName(table).key(key(decision.traceId())).consistentRead(true)).item();
      return decode(stored);
    }
  }

  @Override
  public Optional<TraceDecision> claimExport(String traceId, String claimant) {
    Instant now = clock.instant();
    try {
      UpdateItemResponse r =
          client.updateItem(
              b ->
                  b.tableName(table)
                      .key(key(traceId))
                      .updateExpression("SET claimant = :me, claimedUntil = :until")
                      .conditionExpression("attribute_exists(traceId) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)")
                      .expressionAttributeValues(
                          Map.of(
                              ":me", AttributeValue.fromS(claimant),
                              ":until", AttributeValue.fromN(Long.toString(now.plus(EXPORT_CLAIM).toEpochMilli())),
                              ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
                      .returnValues(ReturnValue.ALL_NEW));
      return Optional.of(decode(r.attributes()));
    } catch (ConditionalCheckFailedException held) {
      return Optional.empty();
    }
  }

  @Override
  public void markExported(String traceId, Collection<String> spanIds, String claimant) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":me", AttributeValue.fromS(claimant));
    if (!spanIds.isEmpty()) {
      values.put(":ids", AttributeValue.fromSs(List.copyOf(new LinkedHashSet<>(spanIds))));
    }
    try {
      client.updateItem(
          b ->
              b.tableName(table)
                  .key(key(traceId))
                  .updateExpression((spanIds.isEmpty() ? "" : "ADD exported :ids ") + "REMOVE claimant, claimedUntil")
                  .conditionExpression("claimant = :me")
                  .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException lapsed) {
      // the claim lapsed and another invocation holds it now: record what was exported, leave its claim alone
      if (!spanIds.isEmpty()) {
        client.updateItem(
            b ->
                b.tableName(table)
                    .key(key(traceId))
                    .updateExpression("ADD exported :ids")
                    .conditionExpression("attribute_exists(traceId)")
                    .expressionAttributeValues(Map.of(":ids", values.get(":ids"))));
      }
    }
  }

  @Override
  public void release(String traceId, String claimant) {
    try {
      client.updateItem(
          b ->
              b.tableName(table)
                  .key(key(traceId))
                  .updateExpression("REMOVE claimant, claimedUntil")
                  .conditionExpression("claimant = :me")
                  .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(claimant))));
    } catch (ConditionalCheckFailedException notHeld) {
      // the claim lapsed already; nothing to let go of
    }
  }

  private static Map<String, AttributeValue> key(String traceId) {
    return Map.of("traceId", AttributeValue.fromS(traceId));
  }

  private static TraceDecision decode(Map<String, AttributeValue> item) {
    AttributeValue p = item.get("probability");
    AttributeValue exported = item.get("exported");
    Set<String> spans = exported == null ? Set.of() : Set.copyOf(exported.ss());
    AttributeValue claimant = item.get("claimant");
    AttributeValue claimedUntil = item.get("claimedUntil");
    Optional<ExportClaim> claim =
        claimant == null || claimedUntil == null
            ? Optional.empty()
            : Optional.of(new ExportClaim(claimant.s(), Instant.ofEpochMilli(Long.parseLong(claimedUntil.n()))));
    return new TraceDecision(
        item.get("traceId").s(),
        item.get("keep").bool(),
        item.get("policy").s(),
        Optional.ofNullable(item.get("compositePolicy")).map(AttributeValue::s),
        p == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(p.n())),
        Instant.ofEpochMilli(Long.parseLong(item.get("decidedAt").n())),
        spans,
        claim);
  }
}
