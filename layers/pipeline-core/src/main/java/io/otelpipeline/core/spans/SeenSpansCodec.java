package io.otelpipeline.core.spans;

import io.otelpipeline.core.shardstate.Varint;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The span ids a shard has seen, as part of its state's bytes: each span id as its 8 raw bytes
 * under its trace's 16, with when the trace was last seen as an offset from the state's stream
 * time, so a span costs about 8 bytes. Random ids do not compress, which is why they are kept in
 * binary rather than hex.
 *
 * <pre>
 * count, then per trace: id (16), age (varint ms before the stream time), spans (varint) x 8 bytes
 * </pre>
 */
public final class SeenSpansCodec {
  private SeenSpansCodec() {}

  public static void write(DataOutput out, SeenSpans seen, long streamTimeMillis) throws IOException {
    List<SeenSpans.Trace> traces = seen.traces();
    Varint.write(out, traces.size());
    for (SeenSpans.Trace t : traces) {
      out.writeLong(t.hi);
      out.writeLong(t.lo);
      Varint.writeSigned(out, streamTimeMillis - t.lastSeenMillis);
      long[] spans = t.spanIds();
      Varint.write(out, spans.length);
      for (long span : spans) {
        out.writeLong(span);
      }
    }
  }

  public static SeenSpans read(DataInput in, long streamTimeMillis) throws IOException {
    int count = (int) Varint.read(in);
    List<SeenSpans.Trace> traces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long hi = in.readLong();
      long lo = in.readLong();
      SeenSpans.Trace t = new SeenSpans.Trace(hi, lo, streamTimeMillis - Varint.readSigned(in));
      int spans = (int) Varint.read(in);
      for (int s = 0; s < spans; s++) {
        t.add(in.readLong());
      }
      traces.add(t);
    }
    return SeenSpans.of(traces);
  }
}
