package io.otelpipeline.core.sampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.core.sampling.state.SamplerState;
import io.otelpipeline.core.sampling.state.TraceDecision;
import io.otelpipeline.core.sampling.state.UndecidedTrace;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import io.otelpipeline.core.shardstate.ShardStates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The sampler's shard state as bytes: a format number, the shard's time, then the waiting traces
 * (ids and times, with all their spans as one OTLP request, so resources shared by many spans are
 * written once), the remembered decisions, and the outbox (decisions by trace id, spans as one
 * OTLP request).
 */
final class SamplerStateCodec implements ShardStates.Codec<SamplerState> {
  static final int FORMAT = 1;

  @Override
  public byte[] encode(SamplerState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      instant(out, state.time());
      List<TraceSpan> waiting = new ArrayList<>();
      out.writeInt(state.undecided().size());
      for (UndecidedTrace t : state.undecided()) {
        id(out, t.traceId());
        instant(out, t.firstSeen());
        out.writeBoolean(t.rootSeen().isPresent());
        if (t.rootSeen().isPresent()) {
          instant(out, t.rootSeen().get());
        }
        instant(out, state.dueAt(t.traceId()));
        waiting.addAll(t.spans());
      }
      blob(out, TraceRequests.encode(waiting).toByteArray());
      List<TraceDecision> remembered = state.decisions().all();
      out.writeInt(remembered.size());
      for (TraceDecision d : remembered) {
        decision(out, d);
      }
      List<TraceSpan> outgoing = new ArrayList<>();
      out.writeInt(state.outbox().size());
      for (SamplerState.Outgoing o : state.outbox().values()) {
        decision(out, o.decision());
        outgoing.addAll(o.spans().values());
      }
      blob(out, TraceRequests.encode(outgoing).toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public SamplerState decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IllegalStateException("the sampler's shard state is in format " + format + ", this version reads format " + FORMAT);
      }
      SamplerState state = new SamplerState(instant(in));
      int waitingCount = in.readInt();
      Map<ByteString, UndecidedTrace> waiting = new LinkedHashMap<>();
      Map<ByteString, Instant> due = new HashMap<>();
      for (int i = 0; i < waitingCount; i++) {
        ByteString id = id(in);
        Instant first = instant(in);
        Instant root = in.readBoolean() ? instant(in) : null;
        waiting.put(id, new UndecidedTrace(id, first, root));
        due.put(id, instant(in));
      }
      TraceRequests.forEachSpan(ExportTraceServiceRequest.parseFrom(blob(in)), s -> {
        UndecidedTrace t = waiting.get(s.span().getTraceId());
        if (t == null) {
          throw new IllegalStateException("the sampler's shard state holds a span of trace " + TraceId.hex(s.span().getTraceId()) + " it does not list");
        }
        t.restore(s);
      });
      waiting.values().forEach(t -> state.await(t, due.get(t.traceId())));
      int decisionCount = in.readInt();
      for (int i = 0; i < decisionCount; i++) {
        state.decisions().remember(decision(in));
      }
      int outgoingCount = in.readInt();
      Map<ByteString, TraceDecision> outgoing = new LinkedHashMap<>();
      for (int i = 0; i < outgoingCount; i++) {
        TraceDecision d = decision(in);
        outgoing.put(d.traceId(), state.decisions().find(d.traceId()).orElse(d));
      }
      Map<ByteString, List<TraceSpan>> spans = new LinkedHashMap<>();
      TraceRequests.forEachSpan(ExportTraceServiceRequest.parseFrom(blob(in)), s ->
          spans.computeIfAbsent(s.span().getTraceId(), k -> new ArrayList<>()).add(s));
      outgoing.forEach((id, d) -> state.send(d, spans.getOrDefault(id, List.of())));
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("the sampler's shard state cannot be read: " + e.getMessage(), e);
    }
  }

  private static void decision(DataOutputStream out, TraceDecision d) throws IOException {
    id(out, d.traceId());
    out.writeBoolean(d.keep());
    out.writeUTF(d.policy());
    out.writeBoolean(d.compositePolicy().isPresent());
    if (d.compositePolicy().isPresent()) {
      out.writeUTF(d.compositePolicy().get());
    }
    out.writeBoolean(d.probability().isPresent());
    if (d.probability().isPresent()) {
      out.writeDouble(d.probability().getAsDouble());
    }
    instant(out, d.decidedAt());
    out.writeInt(d.exportedSpanIds().size());
    for (ByteString spanId : d.exportedSpanIds()) {
      id(out, spanId);
    }
  }

  private static TraceDecision decision(DataInputStream in) throws IOException {
    ByteString id = id(in);
    boolean keep = in.readBoolean();
    String policy = in.readUTF();
    Optional<String> composite = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    OptionalDouble probability = in.readBoolean() ? OptionalDouble.of(in.readDouble()) : OptionalDouble.empty();
    TraceDecision d = TraceDecision.of(id, keep, policy, composite, probability, instant(in));
    int exported = in.readInt();
    for (int i = 0; i < exported; i++) {
      d.exportedSpanIds().add(id(in));
    }
    return d;
  }

  private static void id(DataOutputStream out, ByteString id) throws IOException {
    out.writeByte(id.size());
    id.writeTo(out);
  }

  private static ByteString id(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readUnsignedByte()];
    in.readFully(b);
    return ByteString.copyFrom(b);
  }

  private static void instant(DataOutputStream out, Instant t) throws IOException {
    out.writeLong(t.getEpochSecond());
    out.writeInt(t.getNano());
  }

  private static Instant instant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }

  private static void blob(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] blob(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }
}
