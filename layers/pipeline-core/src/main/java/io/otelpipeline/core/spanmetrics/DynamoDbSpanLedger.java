package io.otelpipeline.core.spanmetrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The span ledger in the span-metrics state table: an item per exported record
 * ({@code rec#shard/sequence}) and an item per trace ({@code spans#trace}) whose attributes map
 * each span id to a short digest of the record that first brought it. Both expire with the
 * {@code expiresAt} TTL after {@link #RETENTION}, longer than a stream keeps a record, so a
 * retry can never outlive its ledger entry.
 */
public final class DynamoDbSpanLedger implements SpanLedger {
  /** Longer than the stream's 24-hour retention: no retry or duplicate arrives after this. */
  public static final Duration RETENTION = Duration.ofHours(25);
  /** Spans claimed per UpdateItem, well inside the 4 KB expression limit. */
  static final int SPANS_PER_UPDATE = 50;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoDbSpanLedger(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  @Override
  public Set<String> exported(Collection<String> recordIds) {
    Set<String> found = new HashSet<>();
    List<String> ids = List.copyOf(new HashSet<>(recordIds));
    for (int i = 0; i < ids.size(); i += 100) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String id : ids.subList(i, Math.min(ids.size(), i + 100))) {
        keys.add(Map.of("pk", AttributeValue.fromS("rec#" + id)));
      }
      Map<String, KeysAndAttributes> request =
          Map.of(table, KeysAndAttributes.builder().keys(keys).projectionExpression("pk").consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> next = request;
        BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(next));
        for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
          found.add(item.get("pk").s().substring(4));
        }
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  @Override
  public void markExported(Collection<String> recordIds) {
    String expires = Long.toString(clock.instant().plus(RETENTION).getEpochSecond());
    List<WriteRequest> writes = new ArrayList<>();
    for (String id : new HashSet<>(recordIds)) {
      writes.add(
          WriteRequest.builder()
              .putRequest(
                  PutRequest.builder()
                      .item(Map.of("pk", AttributeValue.fromS("rec#" + id), "expiresAt", AttributeValue.fromN(expires)))
                      .build())
              .build());
    }
    for (int i = 0; i < writes.size(); i += 25) {
      Map<String, List<WriteRequest>> request = Map.of(table, writes.subList(i, Math.min(writes.size(), i + 25)));
      while (!request.isEmpty()) {
        Map<String, List<WriteRequest>> next = request;
        BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(next));
        request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
      }
    }
  }

  @Override
  public Set<String> claim(Map<String, Map<String, String>> spans) {
    Set<String> owned = new HashSet<>();
    String expires = Long.toString(clock.instant().plus(RETENTION).getEpochSecond());
    for (Map.Entry<String, Map<String, String>> trace : spans.entrySet()) {
      List<Map.Entry<String, String>> entries = new ArrayList<>(trace.getValue().entrySet());
      for (int i = 0; i < entries.size(); i += SPANS_PER_UPDATE) {
        List<Map.Entry<String, String>> chunk = entries.subList(i, Math.min(entries.size(), i + SPANS_PER_UPDATE));
        StringBuilder update = new StringBuilder("SET expiresAt = :exp");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":exp", AttributeValue.fromN(expires));
        Map<String, String> digestBySpan = new HashMap<>();
        for (int j = 0; j < chunk.size(); j++) {
          String spanId = chunk.get(j).getKey();
          String digest = digest(chunk.get(j).getValue());
          digestBySpan.put("s" + spanId, digest);
          names.put("#s" + j, "s" + spanId);
          values.put(":r" + j, AttributeValue.fromS(digest));
          update.append(", #s").append(j).append(" = if_not_exists(#s").append(j).append(", :r").append(j).append(')');
        }
        Map<String, AttributeValue> after =
            dynamo.updateItem(
                    b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS("spans#" + trace.getKey())))
                        .updateExpression(update.toString())
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.UPDATED_NEW))
                .attributes();
        digestBySpan.forEach(
            (attribute, digest) -> {
              AttributeValue holder = after.get(attribute);
              if (holder != null && digest.equals(holder.s())) {
                owned.add(trace.getKey() + ":" + attribute.substring(1));
              }
            });
      }
    }
    return owned;
  }

  /** A short stand-in for a record id: the ledger keeps one per span, so it should be small. */
  static String digest(String recordId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(recordId.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 9));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
