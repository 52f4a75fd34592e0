package io.otelpipeline.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static io.otelpipeline.core.testing.UndecodableBytes.MARK;
import static io.otelpipeline.core.testing.UndecodableBytes.invalidUtf8AtMark;
import static io.otelpipeline.core.testing.UndecodableBytes.replace;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.otlp.wire.TraceWireSchema;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ingest refuses, span by span, what a consumer's protobuf parser would refuse, and accepts the
 * spans beside it: each case is checked against protobuf-java itself (the request as sent does
 * not parse; every record ingest writes does).
 */
class UndecodableSpansTest {
  private static final String BAD_SPAN_ID = "0102030405060709";
  private final TracePartitioner partitioner = new TracePartitioner(Compression.ZSTD);

  private static Span span(int n) {
    byte[] trace = new byte[16];
    trace[0] = 9;
    trace[15] = (byte) n;
    return Span.newBuilder().setTraceId(ByteString.copyFrom(trace))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) n})).setName("op-" + n).build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /**
   * An attribute whose innermost value sits {@code 5 + 3 * kvLists + 2 * arrays} messages deep in
   * the request: ResourceSpans 1, ScopeSpans 2, Span 3, the KeyValue 4, its AnyValue 5, then each
   * kvlist adds a KeyValueList, a KeyValue and an AnyValue, each array an ArrayValue and an AnyValue.
   */
  private static KeyValue nested(int kvLists, int arrays) {
    AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < arrays; i++) {
      value = AnyValue.newBuilder().setArrayValue(io.opentelemetry.proto.common.v1.ArrayValue.newBuilder().addValues(value)).build();
    }
    for (int i = 0; i < kvLists; i++) {
      value = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k").setValue(value))).build();
    }
    return KeyValue.newBuilder().setKey("deep").setValue(value).build();
  }

  /** The request with a good span before and after a bad one; the bad span's id ends in 09. */
  private static byte[] request(Span bad, Resource resource) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span(1))))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(ScopeSpans.newBuilder().addSpans(bad).addSpans(span(2))))
        .build().toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "name, invalid UTF-8 in span field 5",
    "attribute key, invalid UTF-8 in key_value field 1",
    "attribute value, invalid UTF-8 in any_value field 1",
    "event name, invalid UTF-8 in event field 2",
    "status message, invalid UTF-8 in status field 2",
  })
  void aSpanWithInvalidUtf8IsRejectedByIdAndItsNeighboursAccepted(String where, String problem) throws Exception {
    Span.Builder bad = span(9).toBuilder();
    switch (where) {
      case "name" -> bad.setName(MARK);
      case "attribute key" -> bad.addAttributes(attribute(MARK, "v"));
      case "attribute value" -> bad.addAttributes(attribute("k", MARK));
      case "event name" -> bad.addEvents(Span.Event.newBuilder().setName(MARK));
      case "status message" -> bad.setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setMessage(MARK));
      default -> throw new IllegalArgumentException(where);
    }
    assertRejected(invalidUtf8AtMark(request(bad.build(), Resource.getDefaultInstance())), 1, problem);
  }

  @Test
  void aSpanWithATruncatedKeyValueIsRejected() throws Exception {
    Span bad = span(9).toBuilder().addAttributes(KeyValue.newBuilder().setKey("ab")).build();
    byte[] request = request(bad, Resource.getDefaultInstance());
    // the attribute (field 9, 4 bytes) holds a KeyValue whose key now claims 5 bytes of the 2 left
    byte[] truncated = replace(request, new byte[] {0x4A, 0x04, 0x0A, 0x02, 'a', 'b'}, new byte[] {0x4A, 0x04, 0x0A, 0x05, 'a', 'b'});
    assertRejected(truncated, 1, "malformed key_value: length 5");
  }

  @Test
  void attributesNestedPastTheParsersLimitAreRejectedAndUpToItAccepted() throws Exception {
    byte[] fits = request(span(9).toBuilder().addAttributes(nested(31, 1)).build(), Resource.getDefaultInstance());
    ExportTraceServiceRequest.parseFrom(fits);
    assertEquals(3, partitioner.partition(fits, ShardMap.evenlySplit(2)).acceptedItems(), "100 levels, as deep as the parser takes, is accepted");

    String problem = "nested deeper than the " + TraceWireSchema.PARSER_RECURSION_LIMIT + " levels";
    assertRejected(request(span(9).toBuilder().addAttributes(nested(32, 0)).build(), Resource.getDefaultInstance()), 1, problem);
    assertRejected(request(span(9).toBuilder().addAttributes(nested(48, 0)).build(), Resource.getDefaultInstance()), 1, problem);
  }

  @Test
  void aResourceWithInvalidUtf8RejectsItsSpansOnly() throws Exception {
    Resource resource = Resource.newBuilder().addAttributes(attribute("service.name", MARK)).build();
    byte[] request = invalidUtf8AtMark(request(span(9), resource));
    Partitioned result = assertRejected(request, 2, "a span of trace 09000000000000000000000000000002: its resource: invalid UTF-8 in any_value field 1");
    assertEquals(1, result.acceptedItems());
  }

  private Partitioned assertRejected(byte[] request, int rejected, String problem) throws Exception {
    assertThrows(InvalidProtocolBufferException.class, () -> ExportTraceServiceRequest.parseFrom(request),
        "protobuf-java refuses the request as sent");
    Partitioned result = partitioner.partition(request, ShardMap.evenlySplit(2));
    assertEquals(rejected, result.rejectedItems(), result.rejectionMessage());
    assertTrue(result.rejectionMessage().contains(problem), result.rejectionMessage());
    if (rejected == 1) {
      assertTrue(result.rejectionMessage().startsWith("1 span rejected: span " + BAD_SPAN_ID + " of trace "), result.rejectionMessage());
    }
    Set<String> accepted = new HashSet<>();
    for (PackedRecord record : result.records()) {
      ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(RecordEnvelope.parse(record.data()).otlpRequest());
      part.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
          .forEach(s -> accepted.add(HexFormat.of().formatHex(s.getSpanId().toByteArray())))));
    }
    assertEquals(result.acceptedItems(), accepted.size());
    assertTrue(!accepted.contains(BAD_SPAN_ID), "the bad span is in no record");
    return result;
  }
}
