package io.otelpipeline.local;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** Every shard of a stream, open and closed, through ListShards' pages. */
final class Shards {
  private Shards() {}

  static List<Shard> list(KinesisClient kinesis, String streamName) {
    List<Shard> shards = new ArrayList<>();
    ListShardsResponse page = kinesis.listShards(b -> b.streamName(streamName));
    shards.addAll(page.shards());
    while (page.nextToken() != null) {
      String token = page.nextToken();
      page = kinesis.listShards(b -> b.nextToken(token));
      shards.addAll(page.shards());
    }
    return shards;
  }
}
