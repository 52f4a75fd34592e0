package io.otelpipeline.load;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The sizes of every record a stream holds, read back from each shard's start: what Kinesis billed the writes by. */
final class StreamRecords {
  private StreamRecords() {}

  static int[] sizes(KinesisClient kinesis, String streamName) {
    List<Integer> sizes = new ArrayList<>();
    List<Shard> shards = new ArrayList<>();
    ListShardsResponse page = kinesis.listShards(b -> b.streamName(streamName));
    shards.addAll(page.shards());
    while (page.nextToken() != null) {
      String token = page.nextToken();
      page = kinesis.listShards(b -> b.nextToken(token));
      shards.addAll(page.shards());
    }
    for (Shard shard : shards) {
      String iterator = kinesis.getShardIterator(b -> b.streamName(streamName).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      while (iterator != null) {
        String current = iterator;
        GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
        for (Record r : response.records()) {
          sizes.add(r.data().asByteArrayUnsafe().length + r.partitionKey().length());
        }
        boolean atTip = response.millisBehindLatest() == null || response.millisBehindLatest() == 0;
        iterator = response.records().isEmpty() && atTip ? null : response.nextShardIterator();
      }
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }
}
