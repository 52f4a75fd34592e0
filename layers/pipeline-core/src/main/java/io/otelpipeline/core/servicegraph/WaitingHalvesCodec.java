package io.otelpipeline.core.servicegraph;

import io.otelpipeline.core.shardstate.Varint;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service graph's part of a shard state as bytes: the waiting halves, in due order, each due
 * time as an offset from the state's stream time.
 *
 * <pre>
 * count, then per half: trace id, key span id, side, service, connection type, latency, failed,
 *   dimensions, peer, due (varint ms after the stream time)
 * </pre>
 */
public final class WaitingHalvesCodec {
  private WaitingHalvesCodec() {}

  public static void write(DataOutput out, WaitingHalves waiting, long streamTimeMillis) throws IOException {
    List<WaitingHalves.Waiting> halves = waiting.all();
    Varint.write(out, halves.size());
    for (WaitingHalves.Waiting w : halves) {
      EdgeHalf h = w.half();
      out.writeUTF(h.traceId());
      out.writeUTF(h.keySpanId());
      out.writeByte(h.side().ordinal());
      out.writeUTF(h.service());
      out.writeUTF(h.connectionType());
      out.writeDouble(h.latencySeconds());
      out.writeBoolean(h.failed());
      Varint.write(out, h.dimensions().size());
      for (Map.Entry<String, String> d : h.dimensions().entrySet()) {
        out.writeUTF(d.getKey());
        out.writeUTF(d.getValue());
      }
      out.writeUTF(h.peer());
      Varint.writeSigned(out, w.dueMillis() - streamTimeMillis);
    }
  }

  public static WaitingHalves read(DataInput in, long streamTimeMillis) throws IOException {
    int count = (int) Varint.read(in);
    List<WaitingHalves.Waiting> halves = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String traceId = in.readUTF();
      String keySpanId = in.readUTF();
      EdgeHalf.Side side = EdgeHalf.Side.values()[in.readUnsignedByte()];
      String service = in.readUTF();
      String type = in.readUTF();
      double latency = in.readDouble();
      boolean failed = in.readBoolean();
      int dimensionCount = (int) Varint.read(in);
      Map<String, String> dimensions = new LinkedHashMap<>();
      for (int d = 0; d < dimensionCount; d++) {
        dimensions.put(in.readUTF(), in.readUTF());
      }
      String peer = in.readUTF();
      long due = streamTimeMillis + Varint.readSigned(in);
      halves.add(new WaitingHalves.Waiting(new EdgeHalf(traceId, keySpanId, side, service, type, latency, failed, dimensions, peer), due));
    }
    return WaitingHalves.of(halves);
  }
}
