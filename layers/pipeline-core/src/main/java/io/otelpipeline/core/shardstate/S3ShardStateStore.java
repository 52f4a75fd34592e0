package io.otelpipeline.core.shardstate;

import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
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
  private static final Logger LOG = LoggerFactory.getLogger(S3ShardStateStore.class);
  private final S3Client s3;
  private final String bucket;
  private final DynamoDbTable<FenceItem> fences;
  private final String consumer;

  /** {@code consumer} keeps the states of different consumers of the same shard apart. */
  public S3ShardStateStore(S3Client s3, String bucket, DynamoDbClient dynamo, String table, String consumer) {
    this.s3 = s3;
    this.bucket = bucket;
    this.fences = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(table, FenceItem.SCHEMA);
    this.consumer = consumer;
  }

  private String fenceKey(String shardId) {
    return consumer + "/" + shardId;
  }

  @Override
  public Optional<ShardStateVersion> current(String shardId) {
    FenceItem fence = fences.getItem(r -> r.key(k -> k.partitionValue(fenceKey(shardId))).consistentRead(true));
    return Optional.ofNullable(fence).map(f -> f.stateVersion(shardId));
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
    FenceItem fence = new FenceItem(fenceKey(shardId), version, sequenceNumber, key, System.currentTimeMillis());
    try {
      fences.putItem(r -> r.item(fence).conditionExpression(following(previous)));
    } catch (ConditionalCheckFailedException e) {
      delete(key);
      throw new ShardStateConflict(shardId, previous.map(ShardStateVersion::version).orElse(0L));
    }
    previous.ifPresent(p -> delete(p.objectKey()));
    return fence.stateVersion(shardId);
  }

  /** The fence moves only from the version the save follows, or, for a first save, from none. */
  private static Expression following(Optional<ShardStateVersion> previous) {
    return previous
        .map(p -> Expression.builder()
            .expression("#v = :previous")
            .putExpressionName("#v", FenceItem.VERSION)
            .putExpressionValue(":previous", AttributeValue.fromN(Long.toString(p.version())))
            .build())
        .orElseGet(() -> Expression.builder().expression("attribute_not_exists(#k)").putExpressionName("#k", FenceItem.KEY).build());
  }

  /** A replaced object left behind costs storage only; the bucket's lifecycle rule removes strays. */
  private void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (S3Exception e) {
      LOG.warn("shard-state: could not delete replaced state object {}: {}", key, e.getMessage());
    }
  }
}
