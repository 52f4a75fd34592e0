package io.otelpipeline.core.spans;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.consume.TraceRecordReader;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pass over a batch of a shard's records that feeds every connector the same spans, in the
 * shard's order. Each record moves the shard's stream time (a tick does nothing else); its spans
 * are decoded once, what cannot be decoded going to the failure destination; a span whose trace
 * another shard owns is skipped (it landed here on a shard map older than a reshard, and ingest
 * wrote it again to the shard that owns it), and so is a span the shard has seen recently
 * ({@link SeenSpans}), so that a duplicate is counted once by every connector.
 */
public final class SpanPass {
  /** The part of a shard's state the pass reads and moves. */
  public interface State {
    /** Moves the shard's stream time to a record's arrival and returns it; it never goes back. */
    Instant advanceTo(Instant arrival);

    SeenSpans seen();
  }

  /**
   * What a pass took in.
   *
   * @param spanRecords the records whose spans could be read, whether or not any was counted
   * @param otherShards spans skipped because another shard owns their trace
   */
  public record Result(List<StreamRecord> spanRecords, long counted, long duplicates, long otherShards) {
    public Result {
      spanRecords = List.copyOf(spanRecords);
    }

    /** Counts the spans in the function's telemetry, once the batch is saved. */
    public void report(Telemetry telemetry) {
      telemetry.count(SpanPassInstruments.SPANS, counted);
      telemetry.count(SpanPassInstruments.DUPLICATE_SPANS, duplicates);
      if (otherShards > 0) {
        telemetry.count(SpanPassInstruments.SPANS_OF_OTHER_SHARDS, otherShards);
      }
    }
  }

  private final TraceRecordReader reader;
  private final SeenSpans.Limits dedup;
  private final Telemetry telemetry;

  public SpanPass(TraceRecordReader reader, SeenSpans.Limits dedup, Telemetry telemetry) {
    this.reader = reader;
    this.dedup = dedup;
    this.telemetry = telemetry;
  }

  /** Takes in {@code records}, in order, on the shard's {@code state}, feeding {@code connectors}. */
  public Result run(List<StreamRecord> records, State state, ShardLineage.Origin origin, List<ConnectorBatch> connectors) {
    Run run = new Run(state, origin, connectors);
    for (StreamRecord r : records) {
      run.take(r);
    }
    return new Result(run.spanRecords, run.counted, run.duplicates, run.otherShards);
  }

  private final class Run {
    final State state;
    final ShardLineage.Origin origin;
    final List<ConnectorBatch> connectors;
    final List<StreamRecord> spanRecords = new ArrayList<>();
    long counted;
    long duplicates;
    long otherShards;

    Run(State state, ShardLineage.Origin origin, List<ConnectorBatch> connectors) {
      this.state = state;
      this.origin = origin;
      this.connectors = connectors;
    }

    void take(StreamRecord record) {
      Instant now = state.advanceTo(record.arrival());
      state.seen().forgetBefore(now, dedup);
      for (ConnectorBatch c : connectors) {
        c.advance(now);
      }
      if (Tick.is(record.data())) {
        return;
      }
      Optional<ExportTraceServiceRequest> request = decode(record);
      if (request.isEmpty()) {
        return;
      }
      spanRecords.add(record);
      String recordId = record.shardId() + "/" + record.sequenceNumber();
      Map<ByteString, Boolean> owned = new HashMap<>();
      for (ResourceSpans rs : request.get().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            if (owned.computeIfAbsent(span.getTraceId(), t -> origin.ownsTrace(t.toByteArray()))) {
              offer(recordId, now, rs.getResource(), span);
            } else {
              otherShards++;
            }
          }
        }
      }
    }

    private void offer(String recordId, Instant now, Resource resource, Span span) {
      if (!state.seen().add(span.getTraceId().toByteArray(), span.getSpanId().toByteArray(), now, dedup)) {
        duplicates++;
        return;
      }
      counted++;
      ShardSpan shardSpan = new ShardSpan(recordId, now, resource, span);
      for (ConnectorBatch c : connectors) {
        c.accept(shardSpan);
      }
    }

    private Optional<ExportTraceServiceRequest> decode(StreamRecord record) {
      TraceRecordReader.Read read = reader.read(record);
      if (read.setAside()) {
        telemetry.count(SpanPassInstruments.REFUSED_RECORDS, 1);
      }
      return read.spans();
    }
  }
}
