package io.otelpipeline.core.sampling.state;

import com.google.protobuf.ByteString;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A trace waiting for its decision: its spans (one per span id) and when its first span and its root reached the shard. */
public final class UndecidedTrace {
  private final ByteString traceId;
  private final Map<ByteString, TraceSpan> spans = new LinkedHashMap<>();
  private Instant firstSeen;
  private Instant rootSeen;

  public UndecidedTrace(ByteString traceId, Instant firstSeen, Instant rootSeen) {
    this.traceId = traceId;
    this.firstSeen = firstSeen;
    this.rootSeen = rootSeen;
  }

  /** Adds a span that reached the shard at {@code arrival}; false when the span id is already here. */
  public boolean add(TraceSpan span, Instant arrival) {
    if (arrival.isBefore(firstSeen)) {
      firstSeen = arrival;
    }
    if (span.isRoot() && (rootSeen == null || arrival.isBefore(rootSeen))) {
      rootSeen = arrival;
    }
    return spans.putIfAbsent(span.span().getSpanId(), span) == null;
  }

  /** Puts back a span read from a saved state, whose arrival is already in this trace's times. */
  public void restore(TraceSpan span) {
    spans.putIfAbsent(span.span().getSpanId(), span);
  }

  /** {@code decisionWait} after the first span arrived or, if sooner, {@code afterRoot} after the root did. */
  public Instant dueAt(Duration decisionWait, Optional<Duration> afterRoot) {
    Instant due = firstSeen.plus(decisionWait);
    if (rootSeen != null && afterRoot.isPresent() && rootSeen.plus(afterRoot.get()).isBefore(due)) {
      due = rootSeen.plus(afterRoot.get());
    }
    return due;
  }

  public ByteString traceId() {
    return traceId;
  }

  public Instant firstSeen() {
    return firstSeen;
  }

  public Optional<Instant> rootSeen() {
    return Optional.ofNullable(rootSeen);
  }

  public int spanCount() {
    return spans.size();
  }

  public Collection<TraceSpan> spans() {
    return spans.values();
  }

  public Trace trace() {
    return new Trace(traceId, new ArrayList<>(spans.values()));
  }
}
