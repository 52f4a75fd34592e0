package io.otelpipeline.core.servicegraph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Pending halves in the span-metrics state table, one item per call ({@code edge#trace#clientSpan}).
 * A waiting half carries {@code dueBucket}/{@code dueAt}, which put it in the sparse {@code due}
 * index the expiry sweep queries; pairing marks the item {@code pairedBy} the claiming record and
 * drops it from that index, so a retried record finds the same partner and a sweep never counts
 * a paired half. Sweeps lease due halves ({@code leasedBy}, {@code leaseUntil}) and delete them
 * once their counts are exported. Every item carries the {@code expiresAt} TTL, so nothing
 * lingers.
 */
public final class DynamoDbPendingEdgeStore implements PendingEdgeStore {
  /** The sweep index: partition {@code dueBucket}, sort {@code dueAt} (epoch milliseconds). */
  public static final String DUE_INDEX = "due";
  /** Due halves spread over this many index partitions, so that no single one runs hot. */
  static final int DUE_BUCKETS = 4;
  /** How long a sweep's lease holds before another invocation may count the half instead. */
  static final Duration LEASE = Duration.ofMinutes(5);
  /** How long a pending item outlives its due time before TTL deletes it, if no sweep took it. */
  static final Duration RETENTION = Duration.ofDays(7);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbPendingEdgeStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Outcome pairOrPark(EdgeHalf half, String claim, Instant now, Instant due) {
    Map<String, AttributeValue> key = Map.of("pk", s("edge#" + half.key()));
    String side = half.side().name();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        UpdateItemResponse taken =
            dynamo.updateItem(
                b -> b.tableName(table)
                    .key(key)
                    .updateExpression("SET pairedBy = :claim REMOVE dueBucket")
                    .conditionExpression(
                        "attribute_exists(pk) AND halfSide <> :side AND (attribute_not_exists(pairedBy) OR pairedBy = :claim)"
                            + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)")
                    .expressionAttributeValues(
                        Map.of(":claim", s(claim), ":side", s(side), ":now", n(now.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_OLD));
        return new Outcome.Paired(decode(taken.attributes().get("halfJson").s()));
      } catch (ConditionalCheckFailedException notWaiting) {
        try {
          dynamo.putItem(
              b -> b.tableName(table)
                  .item(
                      Map.of(
                          "pk", key.get("pk"),
                          "halfSide", s(side),
                          "halfJson", s(encode(half)),
                          "parkedBy", s(claim),
                          "dueBucket", s("due#" + Math.floorMod(half.key().hashCode(), DUE_BUCKETS)),
                          "dueAt", n(due.toEpochMilli()),
                          "expiresAt", n(due.plus(RETENTION).getEpochSecond())))
                  .conditionExpression("attribute_not_exists(pk) OR (halfSide = :side AND parkedBy = :claim AND attribute_not_exists(pairedBy))")
                  .expressionAttributeValues(Map.of(":side", s(side), ":claim", s(claim))));
          return new Outcome.Parked();
        } catch (ConditionalCheckFailedException slotTaken) {
          if (attempt == 2) {
            return new Outcome.Unpairable();
          }
        }
      }
    }
    return new Outcome.Unpairable();
  }

  @Override
  public List<EdgeHalf> leaseExpired(Instant now, String claim, int limit) {
    List<EdgeHalf> leased = new ArrayList<>();
    for (int bucket = 0; bucket < DUE_BUCKETS && leased.size() < limit; bucket++) {
      String partition = "due#" + bucket;
      int remaining = limit - leased.size();
      QueryResponse due =
          dynamo.query(
              b -> b.tableName(table)
                  .indexName(DUE_INDEX)
                  .keyConditionExpression("dueBucket = :b AND dueAt <= :now")
                  .expressionAttributeValues(Map.of(":b", s(partition), ":now", n(now.toEpochMilli())))
                  .limit(remaining));
      for (Map<String, AttributeValue> item : due.items()) {
        try {
          dynamo.updateItem(
              b -> b.tableName(table)
                  .key(Map.of("pk", item.get("pk")))
                  .updateExpression("SET leasedBy = :claim, leaseUntil = :until")
                  .conditionExpression(
                      "attribute_exists(dueBucket) AND attribute_not_exists(pairedBy)"
                          + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leasedBy = :claim)")
                  .expressionAttributeValues(
                      Map.of(
                          ":claim", s(claim),
                          ":until", n(now.plus(LEASE).toEpochMilli()),
                          ":now", n(now.toEpochMilli()))));
          leased.add(decode(item.get("halfJson").s()));
        } catch (ConditionalCheckFailedException takenMeanwhile) {
          // paired or leased by another invocation between the query and the lease: not ours to count
        }
      }
    }
    return leased;
  }

  @Override
  public void forget(List<EdgeHalf> leased, String claim) {
    for (EdgeHalf half : leased) {
      try {
        dynamo.deleteItem(
            b -> b.tableName(table)
                .key(Map.of("pk", s("edge#" + half.key())))
                .conditionExpression("leasedBy = :claim")
                .expressionAttributeValues(Map.of(":claim", s(claim))));
      } catch (ConditionalCheckFailedException leaseLapsed) {
        // another invocation took over the lapsed lease and will account for the half itself
      }
    }
  }

  private static String encode(EdgeHalf half) {
    try {
      return JSON.writeValueAsString(half);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a pending edge half: " + e.getMessage(), e);
    }
  }

  private static EdgeHalf decode(String json) {
    try {
      return JSON.readValue(json, EdgeHalf.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a pending edge half in the state table is not readable: " + e.getMessage(), e);
    }
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }
}
