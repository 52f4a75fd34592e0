package io.otelpipeline.core.connectors;

import io.otelpipeline.core.servicegraph.WaitingHalvesCodec;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.spans.SeenSpansCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The span-metrics shard state as bytes (compressed by {@link ShardStates}): a version and the
 * stream time, then each part in its own form, with times as offsets from that stream time.
 *
 * <pre>
 * version (1 byte) | stream time (8) | span ids seen ({@link SeenSpansCodec})
 *   | service-graph halves waiting ({@link WaitingHalvesCodec})
 * </pre>
 */
public final class SpanConnectorsShardStateCodec implements ShardStates.Codec<SpanConnectorsShardState> {
  static final int VERSION = 1;

  @Override
  public byte[] encode(SpanConnectorsShardState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 10 * state.seen().spanCount());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      long now = state.streamTimeMillis();
      out.writeByte(VERSION);
      out.writeLong(now);
      SeenSpansCodec.write(out, state.seen(), now);
      WaitingHalvesCodec.write(out, state.waiting(), now);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public SpanConnectorsShardState decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalStateException("span-metrics shard state of version " + version + ", this consumer reads version " + VERSION);
      }
      long now = in.readLong();
      SpanConnectorsShardState state = new SpanConnectorsShardState(now, SeenSpansCodec.read(in, now), WaitingHalvesCodec.read(in, now));
      if (in.available() > 0) {
        throw new IllegalStateException("span-metrics shard state has " + in.available() + " bytes after its end");
      }
      return state;
    } catch (IOException e) {
      throw new IllegalStateException("span-metrics shard state of " + bytes.length + " bytes is truncated: " + e.getMessage(), e);
    }
  }
}
