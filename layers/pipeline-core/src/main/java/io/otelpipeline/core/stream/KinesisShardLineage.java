package io.otelpipeline.core.stream;

import io.otelpipeline.core.partition.ShardMap;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Shard lineage from ListShards, which lists closed shards until the stream's retention drops
 * their records. A stream's shards are listed once per container and again only when a shard
 * turns up that was not there before (a reshard since).
 */
public final class KinesisShardLineage implements ShardLineage {
  private final KinesisClient kinesis;
  /** Per stream ARN: each listed shard's origin. */
  private final Map<String, Map<String, Origin>> streams = new ConcurrentHashMap<>();

  public KinesisShardLineage(KinesisClient kinesis) {
    this.kinesis = kinesis;
  }

  @Override
  public Origin origin(String streamArn, String shardId) {
    Map<String, Origin> known = streams.get(streamArn);
    if (known == null || !known.containsKey(shardId)) {
      known = list(streamArn);
      streams.put(streamArn, known);
    }
    Origin origin = known.get(shardId);
    if (origin == null) {
      throw new IllegalStateException("shard " + shardId + " is not listed in " + streamArn);
    }
    return origin;
  }

  private Map<String, Origin> list(String streamArn) {
    String streamName = streamName(streamArn);
    Map<String, Origin> out = new HashMap<>();
    String next = null;
    do {
      String token = next;
      ListShardsResponse page = token == null ? kinesis.listShards(b -> b.streamName(streamName)) : kinesis.listShards(b -> b.nextToken(token));
      for (Shard s : page.shards()) {
        List<String> parents = new ArrayList<>(2);
        if (s.parentShardId() != null) {
          parents.add(s.parentShardId());
        }
        if (s.adjacentParentShardId() != null) {
          parents.add(s.adjacentParentShardId());
        }
        ShardMap.ShardRange range =
            new ShardMap.ShardRange(
                s.shardId(), new BigInteger(s.hashKeyRange().startingHashKey()), new BigInteger(s.hashKeyRange().endingHashKey()));
        out.put(s.shardId(), new Origin(range, parents));
      }
      next = page.nextToken();
    } while (next != null);
    return out;
  }

  /** The stream name of a Kinesis stream ARN ({@code arn:aws:kinesis:region:account:stream/NAME}). */
  static String streamName(String streamArn) {
    int at = streamArn.indexOf(":stream/");
    if (!streamArn.startsWith("arn:") || at < 0 || at + 8 == streamArn.length()) {
      throw new IllegalArgumentException("'" + streamArn + "' is not a Kinesis stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
    }
    return streamArn.substring(at + 8);
  }
}
