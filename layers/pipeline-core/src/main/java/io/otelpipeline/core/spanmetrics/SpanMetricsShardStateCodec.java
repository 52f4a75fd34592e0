package io.otelpipeline.core.spanmetrics;

import io.otelpipeline.core.servicegraph.EdgeHalf;
import io.otelpipeline.core.servicegraph.WaitingHalves;
import io.otelpipeline.core.shardstate.ShardStates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The span-metrics shard state as bytes (compressed by {@link ShardStates}). Span ids are stored as
 * their 8 raw bytes under their trace's 16, with times as variable-length offsets from the state's
 * stream time, so a span costs about 8 bytes; random ids do not compress, which is why the state
 * keeps them in binary rather than hex.
 *
 * <pre>
 * version (1 byte) | stream time (8) | traces: count, then per trace: id (16), age (varint ms),
 *   spans (varint) x 8 bytes | halves: count, then per half: trace id, key span id, side, service,
 *   connection type, latency, failed, dimensions, peer, due (varint ms after the stream time)
 * </pre>
 */
public final class SpanMetricsShardStateCodec implements ShardStates.Codec<SpanMetricsShardState> {
  static final int VERSION = 1;

  @Override
  public byte[] encode(SpanMetricsShardState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 10 * state.seen().spanCount());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      long now = state.streamTimeMillis();
      out.writeByte(VERSION);
      out.writeLong(now);
      List<SeenSpans.Trace> traces = state.seen().traces();
      varint(out, traces.size());
      for (SeenSpans.Trace t : traces) {
        out.writeLong(t.hi);
        out.writeLong(t.lo);
        varint(out, zigzag(now - t.lastSeenMillis));
        long[] spans = t.spanIds();
        varint(out, spans.length);
        for (long span : spans) {
          out.writeLong(span);
        }
      }
      List<WaitingHalves.Waiting> halves = state.waiting().all();
      varint(out, halves.size());
      for (WaitingHalves.Waiting w : halves) {
        EdgeHalf h = w.half();
        out.writeUTF(h.traceId());
        out.writeUTF(h.keySpanId());
        out.writeByte(h.side().ordinal());
        out.writeUTF(h.service());
        out.writeUTF(h.connectionType());
        out.writeDouble(h.latencySeconds());
        out.writeBoolean(h.failed());
        varint(out, h.dimensions().size());
        for (Map.Entry<String, String> d : h.dimensions().entrySet()) {
          out.writeUTF(d.getKey());
          out.writeUTF(d.getValue());
        }
        out.writeUTF(h.peer());
        varint(out, zigzag(w.dueMillis() - now));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public SpanMetricsShardState decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalStateException("span-metrics shard state of version " + version + ", this consumer reads version " + VERSION);
      }
      long now = in.readLong();
      int traceCount = (int) readVarint(in);
      List<SeenSpans.Trace> traces = new ArrayList<>(traceCount);
      for (int i = 0; i < traceCount; i++) {
        long hi = in.readLong();
        long lo = in.readLong();
        SeenSpans.Trace t = new SeenSpans.Trace(hi, lo, now - unzigzag(readVarint(in)));
        int spans = (int) readVarint(in);
        for (int s = 0; s < spans; s++) {
          t.add(in.readLong());
        }
        traces.add(t);
      }
      int halfCount = (int) readVarint(in);
      List<WaitingHalves.Waiting> halves = new ArrayList<>(halfCount);
      for (int i = 0; i < halfCount; i++) {
        String traceId = in.readUTF();
        String keySpanId = in.readUTF();
        EdgeHalf.Side side = EdgeHalf.Side.values()[in.readUnsignedByte()];
        String service = in.readUTF();
        String type = in.readUTF();
        double latency = in.readDouble();
        boolean failed = in.readBoolean();
        int dimCount = (int) readVarint(in);
        Map<String, String> dims = new LinkedHashMap<>();
        for (int d = 0; d < dimCount; d++) {
          dims.put(in.readUTF(), in.readUTF());
        }
        String peer = in.readUTF();
        long due = now + unzigzag(readVarint(in));
        halves.add(new WaitingHalves.Waiting(new EdgeHalf(traceId, keySpanId, side, service, type, latency, failed, dims, peer), due));
      }
      if (in.available() > 0) {
        throw new IllegalStateException("span-metrics shard state has " + in.available() + " bytes after its end");
      }
      return new SpanMetricsShardState(now, SeenSpans.of(traces), WaitingHalves.of(halves));
    } catch (IOException e) {
      throw new IllegalStateException("span-metrics shard state of " + bytes.length + " bytes is truncated: " + e.getMessage(), e);
    }
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static void varint(DataOutputStream out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVarint(DataInputStream in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("a variable-length number longer than 10 bytes");
  }
}
