package io.otelpipeline.core.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static io.otelpipeline.core.testing.UndecodableBytes.MARK;
import static io.otelpipeline.core.testing.UndecodableBytes.invalidUtf8AtMark;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.otlp.wire.TraceWireIndex;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A record with one undecodable span: the others are read, and only that span, with its resource and scope, is set aside. */
class TraceRecordReaderTest {

  private final List<StreamRecord> setAside = new ArrayList<>();
  private final List<String> reasons = new ArrayList<>();
  private final TraceRecordReader reader = new TraceRecordReader((record, reason) -> {
    setAside.add(record);
    reasons.add(reason);
    return "kept-" + setAside.size();
  }, "test-consumer");

  private static Span span(int n, String name) {
    byte[] trace = new byte[16];
    trace[0] = 5;
    trace[15] = (byte) n;
    return Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(new byte[] {8, 7, 6, 5, 4, 3, 2, (byte) n}))
        .setName(name).build();
  }

  private static StreamRecord record(byte[] otlp, int spans) {
    return new StreamRecord("arn:aws:kinesis:us-east-1:1:stream/traces", "shardId-000000000001", "4242", "pk",
        RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, spans, otlp).toBytes(), Instant.EPOCH);
  }

  @Test
  void theGoodSpansOfARecordAreReadAndOnlyTheUndecodableOneIsSetAside() throws Exception {
    byte[] otlp = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setSchemaUrl("https://schema/1")
            .addScopeSpans(ScopeSpans.newBuilder().setSchemaUrl("scope-schema").addSpans(span(1, "good-1")).addSpans(span(2, MARK)).addSpans(span(3, "good-3"))))
        .build().toByteArray();
    otlp = invalidUtf8AtMark(otlp);
    byte[] undecodable = otlp;
    assertThrows(InvalidProtocolBufferException.class, () -> ExportTraceServiceRequest.parseFrom(undecodable));

    TraceRecordReader.Read read = reader.read(record(otlp, 3));

    assertTrue(read.setAside());
    List<String> names = new ArrayList<>();
    read.spans().orElseThrow().getResourceSpansList().forEach(rs -> {
      assertEquals("https://schema/1", rs.getSchemaUrl());
      rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName())));
    });
    assertEquals(List.of("good-1", "good-3"), names);
    assertEquals(1, setAside.size());
    StreamRecord kept = setAside.get(0);
    assertEquals("4242", kept.sequenceNumber(), "kept under the record's own origin");
    RecordEnvelope envelope = RecordEnvelope.parse(kept.data());
    assertEquals(1, envelope.itemCount());
    TraceWireIndex index = TraceWireIndex.read(envelope.otlpRequest());
    assertEquals(0, index.spanCount());
    assertEquals(1, index.rejectedSpans(), "the kept piece holds the bad span and nothing else");
    assertTrue(new String(envelope.otlpRequest(), StandardCharsets.ISO_8859_1).contains("https://schema/1"), "with its resource's fields");
    assertTrue(reasons.get(0).startsWith("test-consumer record shardId-000000000001/4242: 1 of its spans cannot be decoded"), reasons.get(0));
    assertTrue(reasons.get(0).contains("span 0807060504030202 of trace 05000000000000000000000000000002: invalid UTF-8 in span field 5"), reasons.get(0));
  }

  @Test
  void aRecordWhoseStructureIsBrokenIsSetAsideWhole() {
    byte[] otlp = {0x0A, 0x7F, 0x01};
    StreamRecord record = record(otlp, 1);

    TraceRecordReader.Read read = reader.read(record);

    assertTrue(read.spans().isEmpty());
    assertEquals(List.of(record), setAside);
    assertTrue(reasons.get(0).contains("is not an OTLP ExportTraceServiceRequest"), reasons.get(0));
  }

  @Test
  void aTickHasNoSpansAndIsNotAFailure() {
    StreamRecord tick = new StreamRecord("arn:aws:kinesis:us-east-1:1:stream/traces", "shardId-000000000001", "4243", Tick.PARTITION_KEY,
        Tick.record(), Instant.EPOCH);
    assertEquals(new TraceRecordReader.Read(Optional.empty(), false), reader.read(tick));
    assertTrue(setAside.isEmpty());
  }

  @Test
  void aDecodableRecordIsReadWhole() {
    byte[] otlp = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span(1, "a")))).build().toByteArray();
    TraceRecordReader.Read read = reader.read(record(otlp, 1));
    assertEquals(1, read.spans().orElseThrow().getResourceSpans(0).getScopeSpans(0).getSpansCount());
    assertTrue(setAside.isEmpty());
  }
}
