package io.otelpipeline.local;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Reads every shard of a traces stream from the start, ticks skipped: which spans are on which shard, how many times. */
final class StreamReadback {
  /** A span as read back, with the shard it was on. */
  record StoredSpan(String shardId, Span span) {}

  private StreamReadback() {}

  static List<StoredSpan> spans(KinesisClient kinesis, String stream) throws Exception {
    List<StoredSpan> out = new ArrayList<>();
    for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
      String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      while (iterator != null) {
        String it = iterator;
        GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(it));
        for (Record record : page.records()) {
          if (Tick.is(record.data().asByteArray())) {
            continue;
          }
          ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(RecordEnvelope.parse(record.data().asByteArray()).otlpRequest());
          for (ResourceSpans rs : part.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              for (Span span : ss.getSpansList()) {
                out.add(new StoredSpan(shard.shardId(), span));
              }
            }
          }
        }
        iterator = page.records().isEmpty() && page.millisBehindLatest() == 0 ? null : page.nextShardIterator();
      }
    }
    return out;
  }

  /** How many times each span id was read. */
  static Map<ByteString, Integer> countsBySpanId(List<StoredSpan> spans) {
    Map<ByteString, Integer> counts = new HashMap<>();
    spans.forEach(s -> counts.merge(s.span().getSpanId(), 1, Integer::sum));
    return counts;
  }

  /** The shards each trace was found on; one entry per trace when partitioning held. */
  static Map<ByteString, java.util.Set<String>> shardsByTrace(List<StoredSpan> spans) {
    Map<ByteString, java.util.Set<String>> shards = new HashMap<>();
    spans.forEach(s -> shards.computeIfAbsent(s.span().getTraceId(), t -> new java.util.TreeSet<>()).add(s.shardId()));
    return shards;
  }
}
