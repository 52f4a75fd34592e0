package io.otelpipeline.core.shardstate;

import io.otelpipeline.core.config.FunctionEnvironment;

/** Where a consumer's shard states live, named by the environment: the bucket (SHARD_STATE_BUCKET) and the fence table (SHARD_STATE_TABLE). */
public record ShardStateLocation(String bucket, String fenceTable) {
  public static ShardStateLocation from(FunctionEnvironment env) {
    return new ShardStateLocation(env.require("SHARD_STATE_BUCKET"), env.require("SHARD_STATE_TABLE"));
  }
}
