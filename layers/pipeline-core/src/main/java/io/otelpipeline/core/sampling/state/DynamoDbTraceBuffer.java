package io.otelpipeline.core.sampling.state;

import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Parked spans in a DynamoDB table: one item per chunk, keyed by trace id and chunk id, with the
 * spans as a zstd-compressed OTLP request. An index on ({@code dueBucket}, {@code dueAt}) finds
 * the due traces of a shard: the bucket is the number in the shard's id, unique within the stream,
 * so each shard's consumer reads its own partition, in its own time. Items expire through the TTL
 * attribute a day after they were due, so nothing is kept forever even if no invocation ever
 * removes them.
 *
 * <p>Item: {@code traceId} (S, hash key), {@code chunk} (S, range key), {@code shard} (S),
 * {@code dueBucket} (N), {@code dueAt} (N, epoch ms in the shard's arrival time), {@code spanCount}
 * (N), {@code spans} (B), {@code expiresAt} (N).
 */
public final class DynamoDbTraceBuffer implements TraceBuffer {
  public static final String DUE_INDEX = "due";
  static final int WRITE_BATCH = 25;
  static final Duration RETENTION_AFTER_DUE = Duration.ofDays(1);

  private final DynamoDbClient client;
  private final String table;

  public DynamoDbTraceBuffer(DynamoDbClient client, String table) {
    this.client = client;
    this.table = table;
  }

  /** The due index partition of a shard: the number its id ends in ({@code shardId-000000000012} is 12). */
  static long bucket(String shardId) {
    try {
      return Long.parseLong(shardId.substring(shardId.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("shard id '" + shardId + "' does not end in a number, as Kinesis shard ids (shardId-000000000012) do", e);
    }
  }

  @Override
  public void park(Collection<ParkedChunk> chunks) {
    List<WriteRequest> writes = new ArrayList<>(chunks.size());
    for (ParkedChunk c : chunks) {
      Map<String, AttributeValue> item =
          Map.of(
              "traceId", AttributeValue.fromS(c.traceId()),
              "chunk", AttributeValue.fromS(c.chunkId()),
              "shard", AttributeValue.fromS(c.shardId()),
              "dueBucket", AttributeValue.fromN(Long.toString(bucket(c.shardId()))),
              "dueAt", AttributeValue.fromN(Long.toString(c.dueAt().toEpochMilli())),
              "spanCount", AttributeValue.fromN(Integer.toString(c.spanCount())),
              "spans", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(Compression.ZSTD.compress(c.otlpRequest()))),
              "expiresAt", AttributeValue.fromN(Long.toString(c.dueAt().plus(RETENTION_AFTER_DUE).getEpochSecond())));
      writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    write(writes);
  }

  @Override
  public List<String> due(List<String> shardIds, Instant now, int limit) {
    Set<String> ids = new LinkedHashSet<>();
    for (int s = 0; s < shardIds.size() && ids.size() < limit; s++) {
      long bucket = bucket(shardIds.get(s));
      int left = limit - ids.size();
      QueryResponse r =
          client.query(
              q ->
                  q.tableName(table)
                      .indexName(DUE_INDEX)
                      .keyConditionExpression("dueBucket = :b AND dueAt <= :now")
                      .expressionAttributeValues(
                          Map.of(
                              ":b", AttributeValue.fromN(Long.toString(bucket)),
                              ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
                      .limit(left));
      for (Map<String, AttributeValue> item : r.items()) {
        ids.add(item.get("traceId").s());
      }
    }
    return List.copyOf(ids);
  }

  /** Eventually consistent: a chunk parked a moment ago and missed here is found when due and follows the decision. */
  @Override
  public List<ParkedChunk> load(String traceId) {
    List<ParkedChunk> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse r =
          client.query(
              q ->
                  q.tableName(table)
                      .keyConditionExpression("traceId = :t")
                      .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(traceId)))
                      .exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : r.items()) {
        byte[] compressed = item.get("spans").b().asByteArrayUnsafe();
        out.add(
            new ParkedChunk(
                traceId,
                item.get("chunk").s(),
                item.get("shard").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("dueAt").n())),
                Integer.parseInt(item.get("spanCount").n()),
                Compression.ZSTD.decompress(compressed, 0, compressed.length, RecordEnvelope.MAX_PAYLOAD_BYTES)));
      }
      start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  @Override
  public void remove(Collection<ParkedChunk> chunks) {
    List<WriteRequest> writes = new ArrayList<>(chunks.size());
    for (ParkedChunk c : chunks) {
      writes.add(
          WriteRequest.builder()
              .deleteRequest(
                  DeleteRequest.builder()
                      .key(Map.of("traceId", AttributeValue.fromS(c.traceId()), "chunk", AttributeValue.fromS(c.chunkId())))
                      .build())
              .build());
    }
    write(writes);
  }

  private void write(List<WriteRequest> writes) {
    for (int i = 0; i < writes.size(); i += WRITE_BATCH) {
      List<WriteRequest> pending = writes.subList(i, Math.min(writes.size(), i + WRITE_BATCH));
      for (int attempt = 0; !pending.isEmpty(); attempt++) {
        Backoff.pause(attempt, "BatchWriteItem on " + table);
        List<WriteRequest> batch = pending;
        BatchWriteItemResponse r = client.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
        pending = r.unprocessedItems().getOrDefault(table, List.of());
      }
    }
  }
}
