package io.otelpipeline.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes protobuf bytes that a parser refuses: a marker string set where a string field goes is
 * replaced, after serialising, with invalid UTF-8 of the same length, so every length prefix stays
 * right and only the string is bad.
 */
public final class UndecodableBytes {
  /** Six bytes of valid UTF-8 that no test data contains otherwise. */
  public static final String MARK = "\u0001MARK\u0001";
  /** Six bytes that are not UTF-8: a lead byte without its continuation, a truncated sequence. */
  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, 0x28, (byte) 0xE2, (byte) 0x82, 0x41, 0x41};

  private UndecodableBytes() {}

  /** The bytes with the first {@link #MARK} replaced by invalid UTF-8. */
  public static byte[] invalidUtf8AtMark(byte[] bytes) {
    return replace(bytes, MARK.getBytes(StandardCharsets.UTF_8), INVALID_UTF8);
  }

  /** A copy of {@code haystack} with the first {@code needle} overwritten by {@code replacement} (at most as long). */
  public static byte[] replace(byte[] haystack, byte[] needle, byte[] replacement) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        byte[] out = haystack.clone();
        System.arraycopy(replacement, 0, out, i, replacement.length);
        return out;
      }
    }
    throw new AssertionError("bytes to replace not found");
  }
}
