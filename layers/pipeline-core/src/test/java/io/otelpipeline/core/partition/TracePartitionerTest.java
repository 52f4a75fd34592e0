package io.otelpipeline.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.testing.TraceCorpus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TracePartitionerTest {
  private final TracePartitioner partitioner = new TracePartitioner(Compression.ZSTD);

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 7})
  void everySpanOnceAndEveryTraceOnTheShardOfItsId(int shardCount) throws Exception {
    ExportTraceServiceRequest request = TraceCorpus.request(42, 512, 50);
    ShardMap shards = ShardMap.evenlySplit(shardCount);
    Partitioned result = partitioner.partition(request.toByteArray(), shards);

    assertEquals(512, result.acceptedItems());
    assertEquals(0, result.rejectedItems());
    assertTrue(result.records().size() <= shardCount, "one record per shard for a small request");
    Map<Span, Resource> seen = new HashMap<>();
    Map<ByteString, Integer> shardOfTrace = new HashMap<>();
    for (PackedRecord record : result.records()) {
      RecordEnvelope envelope = RecordEnvelope.parse(record.data());
      ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(envelope.otlpRequest());
      int shard = shards.indexOf(record.explicitHashKey());
      int spans = 0;
      for (ResourceSpans rs : part.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            assertEquals(null, seen.put(span, rs.getResource()), "span exported twice");
            spans++;
            Integer previous = shardOfTrace.put(span.getTraceId(), shard);
            assertTrue(previous == null || previous == shard, "a trace split over shards");
            assertEquals(shard, shards.indexOf(HashKey.ofTraceId(span.getTraceId().toByteArray(), 0)));
          }
        }
      }
      assertEquals(envelope.itemCount(), spans);
      assertEquals(record.itemCount(), spans);
    }
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          assertEquals(rs.getResource(), seen.get(span), "span lost or moved to another resource");
        }
      }
    }
    assertEquals(512, seen.size());
  }

  @Test
  void theHashIsKinesisMd5OfTheHexTraceId() {
    byte[] id = new byte[16];
    id[15] = 1;
    assertEquals(HashKey.ofPartitionKey("00000000000000000000000000000001"), HashKey.ofTraceId(id, 0));
  }

  @Test
  void spansWithInvalidIdsAreRejectedAndTheRestAccepted() throws Exception {
    ExportTraceServiceRequest good = TraceCorpus.request(7, 20, 4);
    Span badTrace = good.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder().setTraceId(ByteString.copyFrom(new byte[8])).build();
    Span zeroTrace = badTrace.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
    Span badSpan = badTrace.toBuilder().setTraceId(good.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId())
        .setSpanId(ByteString.EMPTY).build();
    ExportTraceServiceRequest request = good.toBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(badTrace).addSpans(zeroTrace).addSpans(badSpan)))
        .build();
    Partitioned result = partitioner.partition(request.toByteArray(), ShardMap.evenlySplit(2));
    assertEquals(20, result.acceptedItems());
    assertEquals(3, result.rejectedItems());
    assertTrue(result.rejectionMessage().contains("invalid trace id"), result.rejectionMessage());
  }

  @Test
  void malformedProtobufIsRefused() {
    byte[] bytes = TraceCorpus.request(3, 10, 2).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 7);
    InvalidProtocolBufferException e =
        assertThrows(InvalidProtocolBufferException.class, () -> partitioner.partition(truncated, ShardMap.evenlySplit(1)));
    assertTrue(e.getMessage().contains("byte"), e.getMessage());
    assertThrows(InvalidProtocolBufferException.class, () -> partitioner.partition(new byte[] {(byte) 0x0A, (byte) 0xFF}, ShardMap.evenlySplit(1)));
  }

  @Test
  void aRequestLargerThanARecordIsSplitIntoRecordsUnderTheLimit() throws Exception {
    ExportTraceServiceRequest request = TraceCorpus.request(9, 20_000, 400);
    Partitioned result = new TracePartitioner(Compression.NONE).partition(request.toByteArray(), ShardMap.evenlySplit(1));
    assertTrue(result.records().size() > 1);
    Set<ByteString> spanIds = new HashSet<>();
    for (PackedRecord record : result.records()) {
      assertTrue(record.data().length <= RecordLimits.MAX_PAYLOAD_BYTES);
      ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(RecordEnvelope.parse(record.data()).otlpRequest());
      part.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> spanIds.add(s.getSpanId()))));
    }
    assertEquals(20_000, spanIds.size());
  }

  @Test
  void emptyRequestMakesNoRecords() throws Exception {
    Partitioned result = partitioner.partition(new byte[0], ShardMap.evenlySplit(3));
    assertEquals(List.of(), result.records());
    assertEquals(0, result.acceptedItems());
  }
}
