package io.otelpipeline.core.record;

import io.otelpipeline.core.otlp.Signal;
import java.nio.ByteBuffer;

/**
 * The format of every record this pipeline writes to a stream.
 *
 * <pre>
 * offset size field
 * 0      1    magic 0x4F ('O')
 * 1      1    version (1)
 * 2      1    signal: 1 traces, 2 metrics, 3 logs
 * 3      1    codec: 0 none, 1 gzip, 2 zstd
 * 4      4    item count, big-endian (spans, metric data points or log records)
 * 8      ...  the compressed payload: an OTLP Export{Trace,Metrics,Logs}ServiceRequest in protobuf
 * </pre>
 *
 * The payload is a complete OTLP request, so a consumer can hand it to any OTLP library.
 */
public record RecordEnvelope(Signal signal, Compression compression, int itemCount, byte[] payload) {
  public static final int MAGIC = 0x4F;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 8;
  /** Decompressed payloads above this are refused: well above what the writer produces. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

  /** Compresses an OTLP request and frames it. */
  public static RecordEnvelope wrap(Signal signal, Compression compression, int itemCount, byte[] otlpRequest) {
    return new RecordEnvelope(signal, compression, itemCount, compression.compress(otlpRequest));
  }

  public byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    buf.put((byte) MAGIC).put((byte) VERSION).put((byte) signal.code()).put((byte) compression.code());
    buf.putInt(itemCount);
    buf.put(payload);
    return buf.array();
  }

  /** Parses the header; the payload stays compressed until {@link #otlpRequest()} is called. */
  public static RecordEnvelope parse(byte[] data) {
    if (data.length < HEADER_BYTES) {
      throw new RecordFormatException("record of " + data.length + " bytes is shorter than the 8-byte envelope header");
    }
    if ((data[0] & 0xFF) != MAGIC) {
      throw new RecordFormatException(
          String.format("record does not start with the envelope magic byte 0x4F (found 0x%02X)", data[0] & 0xFF));
    }
    int version = data[1] & 0xFF;
    if (version != VERSION) {
      throw new RecordFormatException("record envelope version " + version + " is not supported (expected 1)");
    }
    Signal signal;
    try {
      signal = Signal.fromCode(data[2] & 0xFF);
    } catch (IllegalArgumentException e) {
      throw new RecordFormatException("record envelope has unknown signal code " + (data[2] & 0xFF));
    }
    Compression compression = Compression.fromCode(data[3] & 0xFF);
    int count = ByteBuffer.wrap(data, 4, 4).getInt();
    if (count < 0) {
      throw new RecordFormatException("record envelope has a negative item count " + count);
    }
    byte[] payload = java.util.Arrays.copyOfRange(data, HEADER_BYTES, data.length);
    return new RecordEnvelope(signal, compression, count, payload);
  }

  /** The decompressed OTLP request bytes. */
  public byte[] otlpRequest() {
    return compression.decompress(payload, 0, payload.length, MAX_PAYLOAD_BYTES);
  }

  public int sizeBytes() {
    return HEADER_BYTES + payload.length;
  }
}
