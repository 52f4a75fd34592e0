package io.otelpipeline.core.record;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a stream to its end while refusing more than a fixed number of bytes. */
public final class BoundedInflation {
  private BoundedInflation() {}

  /**
   * Reads everything from {@code in}; throws {@link SizeLimitExceededException} as soon as more than
   * {@code maxBytes} have come out, so a decompression bomb costs at most {@code maxBytes} of memory
   * and the time to produce them.
   */
  public static byte[] readAll(InputStream in, int maxBytes) throws IOException {
    byte[] buf = new byte[Math.min(Math.max(maxBytes, 1), 64 * 1024)];
    int len = 0;
    while (true) {
      if (len == buf.length) {
        if (len >= maxBytes) {
          if (in.read() < 0) {
            return buf;
          }
          throw new SizeLimitExceededException(maxBytes);
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) maxBytes, (long) buf.length * 2));
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
      }
      len += n;
    }
  }

  /** The decompressed size passed the configured limit. */
  public static final class SizeLimitExceededException extends IOException {
    private final long limit;

    public SizeLimitExceededException(long limit) {
      super("decompressed size exceeds the limit of " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }
}
