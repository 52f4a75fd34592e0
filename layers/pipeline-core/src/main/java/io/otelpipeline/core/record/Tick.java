package io.otelpipeline.core.record;

import io.otelpipeline.core.otlp.Signal;
import java.util.Arrays;

/**
 * A tick: the record a scheduled writer puts in every shard of the traces stream so that a shard
 * with no traffic still advances in the stream's own time. Its time is its arrival timestamp in
 * the shard. It is an envelope of the traces signal with no items and no payload, which ingest
 * never writes (a request without spans makes no record), so it cannot be mistaken for spans.
 * Readers of the traces stream skip it: it carries nothing to sample, count or forward.
 */
public final class Tick {
  /** The partition key of ticks; each is placed in its shard by an explicit hash key. */
  public static final String PARTITION_KEY = "tick";
  private static final byte[] RECORD = new RecordEnvelope(Signal.TRACES, Compression.NONE, 0, new byte[0]).toBytes();

  private Tick() {}

  /** The bytes of a tick record. */
  public static byte[] record() {
    return RECORD.clone();
  }

  /** Whether a record's data is a tick. */
  public static boolean is(byte[] data) {
    return Arrays.equals(data, RECORD);
  }
}
