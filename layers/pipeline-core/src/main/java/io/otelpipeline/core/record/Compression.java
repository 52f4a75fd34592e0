package io.otelpipeline.core.record;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a record's OTLP payload is compressed. The code is the byte written in the envelope, so a
 * consumer can read records written with any of them. {@link #ZSTD} is the default: see
 * BENCHMARKS.md for the measurement that chose it.
 */
public enum Compression {
  NONE(0) {
    @Override
    public byte[] compress(byte[] data) {
      return data;
    }

    @Override
    public byte[] decompress(byte[] data, int offset, int length, int maxBytes) {
      if (length > maxBytes) {
        throw new RecordFormatException("payload of " + length + " bytes exceeds the limit of " + maxBytes);
      }
      byte[] out = new byte[length];
      System.arraycopy(data, offset, out, 0, length);
      return out;
    }
  },
  GZIP(1) {
    @Override
    public byte[] compress(byte[] data) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, data.length / 4));
      try (GZIPOutputStream gzip =
          new GZIPOutputStream(bytes, 8192) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          }) {
        gzip.write(data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    @Override
    public byte[] decompress(byte[] data, int offset, int length, int maxBytes) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data, offset, length))) {
        return BoundedInflation.readAll(in, maxBytes);
      } catch (java.io.EOFException e) {
        throw new RecordFormatException("gzip payload is corrupt: it ends before the gzip stream does (truncated)");
      } catch (IOException e) {
        throw new RecordFormatException("gzip payload is corrupt: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }
  },
  ZSTD(2) {
    private static final int LEVEL = 1;

    @Override
    public byte[] compress(byte[] data) {
      return Zstd.compress(data, LEVEL);
    }

    @Override
    public byte[] decompress(byte[] data, int offset, int length, int maxBytes) {
      byte[] frame = offset == 0 && length == data.length ? data : java.util.Arrays.copyOfRange(data, offset, offset + length);
      long size;
      try {
        size = Zstd.getFrameContentSize(frame);
      } catch (RuntimeException e) {
        throw new RecordFormatException("zstd payload is corrupt: " + e.getMessage());
      }
      if (size < 0) {
        throw new RecordFormatException("zstd payload is corrupt or does not declare its size");
      }
      if (size > maxBytes) {
        throw new RecordFormatException("zstd payload of " + size + " bytes exceeds the limit of " + maxBytes);
      }
      try {
        return Zstd.decompress(frame, (int) size);
      } catch (RuntimeException e) {
        throw new RecordFormatException("zstd payload is corrupt: " + e.getMessage());
      }
    }
  };

  private final int code;

  Compression(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public abstract byte[] compress(byte[] data);

  /** Decompresses, refusing output larger than {@code maxBytes} before allocating it. */
  public abstract byte[] decompress(byte[] data, int offset, int length, int maxBytes);

  public static Compression fromCode(int code) {
    for (Compression c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new RecordFormatException("unknown compression code " + code);
  }

  public static Compression fromName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown record compression '" + name + "': expected one of none, gzip, zstd");
    }
  }
}
