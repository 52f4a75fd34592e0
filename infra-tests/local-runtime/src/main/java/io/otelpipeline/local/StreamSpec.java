package io.otelpipeline.local;

import java.util.OptionalInt;

/** A Kinesis stream the template declares; no shard count means on-demand capacity. */
public record StreamSpec(String logicalId, String name, String arn, OptionalInt shardCount) {}
