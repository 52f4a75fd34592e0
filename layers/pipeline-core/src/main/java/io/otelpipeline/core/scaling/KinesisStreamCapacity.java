package io.otelpipeline.core.scaling;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.StreamMode;

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
  public boolean onDemand(String streamArn) {
    var summary = kinesis.describeStreamSummary(r -> r.streamARN(streamArn)).streamDescriptionSummary();
    return summary.streamModeDetails() != null && summary.streamModeDetails().streamMode() == StreamMode.ON_DEMAND;
  }

  @Override
  public void resize(String streamArn, int shards) {
    kinesis.updateShardCount(r -> r.streamARN(streamArn).targetShardCount(shards).scalingType(ScalingType.UNIFORM_SCALING));
  }
}
