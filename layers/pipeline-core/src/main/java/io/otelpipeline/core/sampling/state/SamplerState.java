package io.otelpipeline.core.sampling.state;

import com.google.protobuf.ByteString;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * What the trace sampler carries for one shard from one invocation to the next: how far the shard
 * has been read (its time), the traces waiting for their decision, the decisions late spans
 * follow, and the kept spans the backend has not taken yet (its outbox).
 */
public final class SamplerState {
  /** A kept trace's spans waiting for the backend, with the decision they follow. */
  public record Outgoing(TraceDecision decision, Map<ByteString, TraceSpan> spans) {}

  private record Due(Instant at, ByteString traceId) {}

  private Instant time;
  private final Map<ByteString, UndecidedTrace> undecided = new LinkedHashMap<>();
  private final Map<ByteString, Instant> dueAt = new HashMap<>();
  private final PriorityQueue<Due> dueOrder = new PriorityQueue<>(Comparator.comparing(Due::at));
  private final DecisionMemory decisions = new DecisionMemory();
  private final Map<ByteString, Outgoing> outbox = new LinkedHashMap<>();

  public SamplerState(Instant time) {
    this.time = time;
  }

  /** The state of a shard nothing has been read from. */
  public static SamplerState empty() {
    return new SamplerState(Instant.EPOCH);
  }

  /** How far the shard has been read, in arrival time. */
  public Instant time() {
    return time;
  }

  /** Moves the shard's time on to {@code arrival} (never back). */
  public void advanceTo(Instant arrival) {
    if (arrival.isAfter(time)) {
      time = arrival;
    }
  }

  public Optional<UndecidedTrace> undecided(ByteString traceId) {
    return Optional.ofNullable(undecided.get(traceId));
  }

  public Collection<UndecidedTrace> undecided() {
    return undecided.values();
  }

  /** Starts waiting for a trace's decision, or moves its due time (a root arrived). */
  public void await(UndecidedTrace trace, Instant due) {
    undecided.put(trace.traceId(), trace);
    Instant previous = dueAt.put(trace.traceId(), due);
    if (!due.equals(previous)) {
      dueOrder.add(new Due(due, trace.traceId()));
    }
  }

  public Instant dueAt(ByteString traceId) {
    return dueAt.get(traceId);
  }

  /** Takes the traces whose due time passes {@code isDue}, earliest first, out of waiting. */
  public List<UndecidedTrace> takeDue(Predicate<Instant> isDue) {
    List<UndecidedTrace> out = new ArrayList<>();
    while (!dueOrder.isEmpty() && isDue.test(dueOrder.peek().at())) {
      Due d = dueOrder.poll();
      if (d.at().equals(dueAt.get(d.traceId()))) {
        out.add(take(d.traceId()));
      }
    }
    return out;
  }

  /** Takes one trace out of waiting (decided early: its span cap was reached). */
  public UndecidedTrace take(ByteString traceId) {
    dueAt.remove(traceId);
    return undecided.remove(traceId);
  }

  public DecisionMemory decisions() {
    return decisions;
  }

  /** Adds kept spans to the outbox, one per span id. */
  public void send(TraceDecision decision, Collection<TraceSpan> spans) {
    Map<ByteString, TraceSpan> waiting = outbox.computeIfAbsent(decision.traceId(), t -> new Outgoing(decision, new LinkedHashMap<>())).spans();
    for (TraceSpan s : spans) {
      waiting.putIfAbsent(s.span().getSpanId(), s);
    }
  }

  /** Whether the span is already waiting in the outbox. */
  public boolean sending(ByteString traceId, ByteString spanId) {
    Outgoing o = outbox.get(traceId);
    return o != null && o.spans().containsKey(spanId);
  }

  public Map<ByteString, Outgoing> outbox() {
    return outbox;
  }

  /**
   * Takes on what a parent shard left at its end, keeping the traces {@code owns} says hash into
   * this shard: a child of a reshard carries on with its parents' waiting traces, decisions and outbox.
   */
  public void absorb(SamplerState parent, Predicate<ByteString> owns) {
    advanceTo(parent.time);
    for (UndecidedTrace t : parent.undecided.values()) {
      if (owns.test(t.traceId())) {
        await(t, parent.dueAt.get(t.traceId()));
      }
    }
    for (TraceDecision d : parent.decisions.all()) {
      if (owns.test(d.traceId())) {
        decisions.remember(d);
      }
    }
    parent.outbox.forEach((traceId, o) -> {
      if (owns.test(traceId)) {
        send(decisions.find(traceId).orElse(o.decision()), o.spans().values());
      }
    });
  }
}
