package io.otelpipeline.core.partition;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Positions in Kinesis's 128-bit hash key space. Kinesis places a record by the MD5 of its partition
 * key; this pipeline computes that same hash itself and sends it as the ExplicitHashKey, so it knows
 * the shard before writing and can pack several traces of one shard into one record.
 */
public final class HashKey {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private HashKey() {}

  /** The MD5 of the UTF-8 partition key, as Kinesis computes it, as an unsigned 128-bit number. */
  public static BigInteger ofPartitionKey(String partitionKey) {
    return new BigInteger(1, md5().digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
  }

  /** The hash of a trace: that of its lower-case hex id used as a partition key. */
  public static BigInteger ofTraceId(byte[] traceId, int offset) {
    return ofPartitionKey(hex(traceId, offset, 16));
  }

  public static String hex(byte[] bytes, int offset, int length) {
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i] & 0xFF;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0x0F];
    }
    return new String(out);
  }

  public static String hex(byte[] bytes) {
    return hex(bytes, 0, bytes.length);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no MD5", e);
    }
  }
}
