package io.otelpipeline.core.sampling;

import com.google.protobuf.ByteString;
import io.otelpipeline.core.sampling.state.ParkedChunk;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trace as an invocation sees it: the spans in this batch (one per span id), where they came
 * from, and any parked chunks it loaded.
 */
final class PendingTrace {
  final ByteString traceId;
  final String hexId;
  /** Spans from this batch, by span id: duplicates within the batch collapse here. */
  final Map<ByteString, TraceSpan> batchSpans = new LinkedHashMap<>();
  /** Spans from parked chunks, by span id. */
  final Map<ByteString, TraceSpan> parkedSpans = new LinkedHashMap<>();
  final List<ParkedChunk> chunks = new ArrayList<>();
  /** Indexes into the batch of the records holding this trace's spans. */
  final BitSet records = new BitSet();
  Instant firstSeen;
  Instant rootSeen;
  String chunkId;
  boolean parkedLoaded;
  boolean dueInBuffer;

  PendingTrace(ByteString traceId) {
    this.traceId = traceId;
    this.hexId = TraceId.hex(traceId);
  }

  /** Adds a span from a record; returns false when the span id was already in the batch. */
  boolean add(TraceSpan span, int recordIndex, String source, Instant arrival) {
    records.set(recordIndex);
    if (firstSeen == null || arrival.isBefore(firstSeen)) {
      firstSeen = arrival;
    }
    if (chunkId == null) {
      chunkId = source;
    }
    if (span.isRoot() && (rootSeen == null || arrival.isBefore(rootSeen))) {
      rootSeen = arrival;
    }
    return batchSpans.putIfAbsent(span.span().getSpanId(), span) == null;
  }

  /** Adds a span from a parked chunk; returns false when it is already in hand. */
  boolean addParked(TraceSpan span) {
    ByteString id = span.span().getSpanId();
    return !batchSpans.containsKey(id) && parkedSpans.putIfAbsent(id, span) == null;
  }

  int spanCount() {
    return batchSpans.size() + parkedSpans.size();
  }

  List<TraceSpan> allSpans() {
    List<TraceSpan> all = new ArrayList<>(parkedSpans.values());
    all.addAll(batchSpans.values());
    return all;
  }

  Trace trace() {
    return new Trace(traceId, allSpans());
  }
}
