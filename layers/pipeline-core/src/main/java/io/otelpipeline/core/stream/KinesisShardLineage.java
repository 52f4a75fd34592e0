package io.otelpipeline.core.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Shard lineage from ListShards, which lists closed shards until the stream's retention drops
 * their records. A stream's parents are read once per container and again only when a shard
 * turns up that was not there before (a reshard since).
 */
public final class KinesisShardLineage implements ShardLineage {
  private final KinesisClient kinesis;
  /** Per stream ARN: each listed shard's parents (the adjacent parent of a merge included). */
  private final Map<String, Map<String, List<String>>> parents = new ConcurrentHashMap<>();

  public KinesisShardLineage(KinesisClient kinesis) {
    this.kinesis = kinesis;
  }

  @Override
  public List<String> ancestors(String streamArn, String shardId) {
    Map<String, List<String>> known = parents.get(streamArn);
    if (known == null || !known.containsKey(shardId)) {
      known = list(streamArn);
      parents.put(streamArn, known);
    }
    Set<String> out = new LinkedHashSet<>();
    List<String> frontier = new ArrayList<>(known.getOrDefault(shardId, List.of()));
    while (!frontier.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (String s : frontier) {
        if (out.add(s)) {
          next.addAll(known.getOrDefault(s, List.of()));
        }
      }
      frontier = next;
    }
    return List.copyOf(out);
  }

  private Map<String, List<String>> list(String streamArn) {
    String streamName = streamName(streamArn);
    Map<String, List<String>> out = new HashMap<>();
    String next = null;
    do {
      String token = next;
      ListShardsResponse page = token == null ? kinesis.listShards(b -> b.streamName(streamName)) : kinesis.listShards(b -> b.nextToken(token));
      for (Shard s : page.shards()) {
        List<String> p = new ArrayList<>(2);
        if (s.parentShardId() != null) {
          p.add(s.parentShardId());
        }
        if (s.adjacentParentShardId() != null) {
          p.add(s.adjacentParentShardId());
        }
        out.put(s.shardId(), List.copyOf(p));
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
