package io.otelpipeline.core.spans;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.testing.TestSpans.resource;
import static io.otelpipeline.core.testing.TestSpans.span;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.consume.TraceRecordReader;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.HashKey;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one pass over a shard's records that feeds every connector. */
class SpanPassTest {
  private static final String SHARD = "shardId-000000000001";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final BigInteger MIDDLE = ShardMap.MAX_HASH_KEY.shiftRight(1);
  /** The shard owns the lower half of the hash keys. */
  private static final ShardLineage.Origin ORIGIN = new ShardLineage.Origin(new ShardMap.ShardRange(SHARD, BigInteger.ZERO, MIDDLE), List.of());
  private static final String OWN = traceIn(BigInteger.ZERO, MIDDLE);
  private static final String OTHER = traceIn(MIDDLE.add(BigInteger.ONE), ShardMap.MAX_HASH_KEY);

  private final List<String> failed = new ArrayList<>();
  private final FailureDestination failures = (record, reason) -> {
    failed.add(reason);
    return record.sequenceNumber();
  };
  private final SpanPass pass = new SpanPass(new TraceRecordReader(failures, "span-metrics"), SeenSpans.Limits.DEFAULT, Telemetry.noop());

  /** A connector that writes down what it is fed. */
  private static final class Recording implements ConnectorBatch {
    final List<String> fed = new ArrayList<>();

    @Override
    public void advance(Instant streamTime) {
      fed.add("advance " + streamTime);
    }

    @Override
    public void accept(ShardSpan span) {
      fed.add(span.recordId() + " " + HexFormat.of().formatHex(span.span().getSpanId().toByteArray()) + " at " + span.streamTime());
    }
  }

  private static final class State implements SpanPass.State {
    Instant streamTime = Instant.EPOCH;
    final SeenSpans seen = SeenSpans.empty();

    @Override
    public Instant advanceTo(Instant arrival) {
      streamTime = arrival.isAfter(streamTime) ? arrival : streamTime;
      return streamTime;
    }

    @Override
    public SeenSpans seen() {
      return seen;
    }
  }

  private static StreamRecord record(String seq, Instant arrival, Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    byte[] request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("checkout")).addScopeSpans(scope))
            .build()
            .toByteArray();
    return new StreamRecord("arn", SHARD, seq, "k", RecordEnvelope.wrap(Signal.TRACES, Compression.GZIP, spans.length, request).toBytes(), arrival);
  }

  private static Span.Builder server(String trace, String spanId) {
    return span(trace, spanId, "", SPAN_KIND_SERVER, "GET", 1, false);
  }

  @Test
  void everyConnectorIsFedTheSameCountedSpansInTheShardsOrder() {
    Recording first = new Recording();
    Recording second = new Recording();
    List<StreamRecord> records =
        List.of(
            record("1", T0, server(OWN, "00000000000000a1"), server(OTHER, "00000000000000b1"), server(OWN, "00000000000000a1")),
            new StreamRecord("arn", SHARD, "2", Tick.PARTITION_KEY, Tick.record(), T0.plusSeconds(5)),
            record("3", T0.plusSeconds(3), server(OWN, "00000000000000a2"), server(OWN, "00000000000000a1")));

    SpanPass.Result result = pass.run(records, new State(), ORIGIN, List.of(first, second));

    List<String> expected =
        List.of(
            "advance " + T0,
            SHARD + "/1 00000000000000a1 at " + T0,
            "advance " + T0.plusSeconds(5),
            "advance " + T0.plusSeconds(5),
            SHARD + "/3 00000000000000a2 at " + T0.plusSeconds(5));
    assertEquals(expected, first.fed, "a duplicate and another shard's trace are not fed; stream time never goes back");
    assertEquals(expected, second.fed);
    assertEquals(new SpanPass.Result(List.of(records.get(0), records.get(2)), 2, 2, 1), result);
  }

  @Test
  void aRecordThatCannotBeDecodedGoesToTheFailureDestinationAndFeedsNothing() {
    Recording connector = new Recording();
    StreamRecord bad = new StreamRecord("arn", SHARD, "1", "k", new byte[] {1, 2, 3}, T0);

    SpanPass.Result result = pass.run(List.of(bad), new State(), ORIGIN, List.of(connector));

    assertEquals(List.of("advance " + T0), connector.fed);
    assertEquals(new SpanPass.Result(List.of(), 0, 0, 0), result);
    assertEquals(1, failed.size(), failed.toString());
  }

  /** A trace id whose hash key is in [from, to]. */
  private static String traceIn(BigInteger from, BigInteger to) {
    for (int i = 1; ; i++) {
      String trace = String.format("%032x", i * 7919L);
      BigInteger key = HashKey.ofPartitionKey(trace);
      if (key.compareTo(from) >= 0 && key.compareTo(to) <= 0) {
        return trace;
      }
    }
  }
}
