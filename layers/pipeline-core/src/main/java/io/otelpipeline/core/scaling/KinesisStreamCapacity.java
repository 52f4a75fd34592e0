package io.otelpipeline.core.scaling;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ScalingType;

/** Shard counts through DescribeStreamSummary and UpdateShardCount (uniform scaling). */
public final class KinesisStreamCapacity implements StreamCapacity {
  private final KinesisClient kinesis;

  public KinesisStreamCapacity(KinesisClient kinesis) {
    this.kinesis = kinesis;
  }

  @Override
  public int openShards(String streamArn) {
    return kinesis.describeStreamSummary(r -> r.streamARN(streamArn)).streamDescriptionSummary().openShardCount();
  }

  @Override
  public void resize(String streamArn, int shards) {
    kinesis.updateShardCount(r -> r.streamARN(streamArn).targetShardCount(shards).scalingType(ScalingType.UNIFORM_SCALING));
  }
}
