package io.otelpipeline.core.shardstate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Shard states as S3 objects, one per saved version, fenced by one small DynamoDB item per shard.
 *
 * <p>A save writes the new object first, then moves the fence item to it with a conditional put on
 * the version it follows, then deletes the object it replaces (S3 deletes are free). A save that
 * loses the race deletes its own object. What a save costs does not depend on the state's size:
 * one PUT and one write unit (the fence item is far below 1 KB), which is why the state is not kept
 * in DynamoDB, where every kilobyte of every write is billed.
 */
public final class S3ShardStateStore implements ShardStateStore {
  static final String KEY = "shard";
  static final String VERSION = "version";
  static final String SEQUENCE = "sequence";
  static final String OBJECT = "object";
  static final String SAVED_AT = "savedAt";

  private final S3Client s3;
  private final String bucket;
  private final DynamoDbClient dynamo;
  private final String table;
  private final String consumer;

  /** {@code consumer} keeps the states of different consumers of the same shard apart. */
  public S3ShardStateStore(S3Client s3, String bucket, DynamoDbClient dynamo, String table, String consumer) {
    this.s3 = s3;
    this.bucket = bucket;
    this.dynamo = dynamo;
    this.table = table;
    this.consumer = consumer;
  }

  private String fenceKey(String shardId) {
    return consumer + "/" + shardId;
  }

  @Override
  public Optional<ShardStateVersion> current(String shardId) {
    Map<String, AttributeValue> item =
        dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(KEY, AttributeValue.fromS(fenceKey(shardId))))).item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ShardStateVersion(shardId, Long.parseLong(item.get(VERSION).n()), item.get(SEQUENCE).s(), item.get(OBJECT).s()));
  }

  @Override
  public byte[] read(ShardStateVersion version) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(version.objectKey())).asByteArray();
  }

  @Override
  public ShardStateVersion save(String shardId, Optional<ShardStateVersion> previous, String sequenceNumber, byte[] state) {
    long version = previous.map(p -> p.version() + 1).orElse(1L);
    String key = String.format("%s/%s/%016d-%s", consumer, shardId, version, UUID.randomUUID().toString().substring(0, 8));
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(state));
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(KEY, AttributeValue.fromS(fenceKey(shardId)));
    item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
    item.put(SEQUENCE, AttributeValue.fromS(sequenceNumber));
    item.put(OBJECT, AttributeValue.fromS(key));
    item.put(SAVED_AT, AttributeValue.fromN(Long.toString(System.currentTimeMillis())));
    PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
    if (previous.isPresent()) {
      put.conditionExpression("#v = :previous")
          .expressionAttributeNames(Map.of("#v", VERSION))
          .expressionAttributeValues(Map.of(":previous", AttributeValue.fromN(Long.toString(previous.get().version()))));
    } else {
      put.conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", KEY));
    }
    try {
      dynamo.putItem(put.build());
    } catch (ConditionalCheckFailedException e) {
      delete(key);
      throw new ShardStateConflict(shardId, previous.map(ShardStateVersion::version).orElse(0L));
    }
    previous.ifPresent(p -> delete(p.objectKey()));
    return new ShardStateVersion(shardId, version, sequenceNumber, key);
  }

  /** A replaced object left behind costs storage only; the bucket's lifecycle rule removes strays. */
  private void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (S3Exception e) {
      System.out.println("shard-state: could not delete replaced state object " + key + ": " + e.getMessage());
    }
  }
}
