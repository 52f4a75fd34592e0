package io.otelpipeline.core.testing;

import io.otelpipeline.core.shardstate.S3ShardStateStore;

/**
 * Where the consumers' shard states live in tests: S3Proxy with the state bucket and DynamoDB
 * Local with the fence table, as template.yaml declares them, and a store per consumer name.
 */
public final class LocalShardStates implements AutoCloseable {
  public static final String BUCKET = "shard-state";
  public static final String TABLE = "shard-state";

  private final LocalDynamoDb dynamo;
  private final LocalS3 s3;

  private LocalShardStates(LocalDynamoDb dynamo, LocalS3 s3) {
    this.dynamo = dynamo;
    this.s3 = s3;
  }

  public static LocalShardStates start() {
    LocalDynamoDb dynamo = LocalDynamoDb.start().create(TableSpec.shardState(TABLE));
    try {
      return new LocalShardStates(dynamo, LocalS3.start().create(BUCKET));
    } catch (RuntimeException e) {
      dynamo.close();
      throw e;
    }
  }

  /** The states of one consumer, through the real SDK clients. */
  public S3ShardStateStore store(String consumer) {
    return new S3ShardStateStore(s3.client(), BUCKET, dynamo.client(), TABLE, consumer);
  }

  public LocalDynamoDb dynamo() {
    return dynamo;
  }

  public LocalS3 s3() {
    return s3;
  }

  @Override
  public void close() {
    s3.close();
    dynamo.close();
  }
}
