package io.otelpipeline.core.sampling.trace;

import com.google.protobuf.ByteString;

/** Trace and span ids as the lowercase hex that OTLP/JSON and the state tables use. */
public final class TraceId {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceId() {}

  public static String hex(ByteString id) {
    char[] out = new char[id.size() * 2];
    for (int i = 0; i < id.size(); i++) {
      int b = id.byteAt(i) & 0xFF;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xF];
    }
    return new String(out);
  }

  public static ByteString fromHex(String hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("'" + hex + "' is not an even number of hex digits");
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return ByteString.copyFrom(out);
  }

  /**
   * FNV-1a (64 bit) over the salt's UTF-8 bytes and then the id bytes: the Collector's
   * probabilistic policy hashes exactly this, so both pick the same traces for the same salt.
   */
  public static long fnv1a(String salt, ByteString id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : salt.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001b3L;
    }
    for (int i = 0; i < id.size(); i++) {
      h = (h ^ (id.byteAt(i) & 0xFF)) * 0x100000001b3L;
    }
    return h;
  }

  /**
   * {@link #fnv1a} finished with MurmurHash3's 64-bit mix so that every output bit depends on
   * every input byte (ids that differ only in their last bytes must still spread over the whole
   * range). The same value in every invocation, so hash-based decisions agree for a trace
   * wherever its spans are handled.
   */
  public static long hash(String salt, ByteString id) {
    long h = fnv1a(salt, id);
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
