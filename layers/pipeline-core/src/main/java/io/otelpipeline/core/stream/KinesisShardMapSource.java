package io.otelpipeline.core.stream;

import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.partition.ShardMapSource;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** The open shards of a stream, from ListShards. */
public final class KinesisShardMapSource implements ShardMapSource {
  private final KinesisClient kinesis;

  public KinesisShardMapSource(KinesisClient kinesis) {
    this.kinesis = kinesis;
  }

  @Override
  public ShardMap load(String streamName) {
    List<ShardMap.ShardRange> open = new ArrayList<>();
    String next = null;
    do {
      String token = next;
      ListShardsResponse page =
          token == null
              ? kinesis.listShards(b -> b.streamName(streamName))
              : kinesis.listShards(b -> b.nextToken(token));
      for (Shard s : page.shards()) {
        if (s.sequenceNumberRange() == null || s.sequenceNumberRange().endingSequenceNumber() == null) {
          open.add(
              new ShardMap.ShardRange(
                  s.shardId(),
                  new BigInteger(s.hashKeyRange().startingHashKey()),
                  new BigInteger(s.hashKeyRange().endingHashKey())));
        }
      }
      next = page.nextToken();
    } while (next != null);
    return new ShardMap(open);
  }
}
