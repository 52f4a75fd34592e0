package io.otelpipeline.core.shardstate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The variable-length numbers shard states are written with: protobuf's base-128 varints, seven
 * bits a byte, and zigzag for signed values, so that counts and time offsets, mostly small, take
 * a byte or two.
 */
public final class Varint {
  private Varint() {}

  public static void write(DataOutput out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  public static long read(DataInput in) throws IOException {
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

  /** A signed value, zigzag-encoded so that a small negative one is short too. */
  public static void writeSigned(DataOutput out, long v) throws IOException {
    write(out, (v << 1) ^ (v >> 63));
  }

  public static long readSigned(DataInput in) throws IOException {
    long v = read(in);
    return (v >>> 1) ^ -(v & 1);
  }
}
