package io.otelpipeline.core.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;

/** A cursor over protobuf wire format that reads tags and skips fields without building objects. */
public final class WireReader {
  private final byte[] buf;
  private int pos;
  private final int limit;

  public WireReader(byte[] buf, int offset, int limit) {
    this.buf = buf;
    this.pos = offset;
    this.limit = limit;
  }

  public boolean hasMore() {
    return pos < limit;
  }

  public int position() {
    return pos;
  }

  public int readTag() throws InvalidProtocolBufferException {
    int tag = (int) readVarint();
    if ((tag >>> 3) == 0) {
      throw new InvalidProtocolBufferException("field number 0 at byte " + pos);
    }
    return tag;
  }

  public long readVarint() throws InvalidProtocolBufferException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new InvalidProtocolBufferException("truncated varint at byte " + pos);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new InvalidProtocolBufferException("malformed varint at byte " + pos);
  }

  /** Reads a length prefix and checks that the bytes it announces are there. */
  public int readLength() throws InvalidProtocolBufferException {
    long len = readVarint();
    if (len < 0 || len > limit - pos) {
      throw new InvalidProtocolBufferException(
          "length " + len + " at byte " + pos + " runs past the end of the message (" + (limit - pos) + " bytes left)");
    }
    return (int) len;
  }

  public void skip(int n) {
    pos += n;
  }

  /** Skips the value of a field whose tag has just been read. */
  public void skipValue(int tag) throws InvalidProtocolBufferException {
    switch (tag & 7) {
      case 0 -> readVarint();
      case 1 -> advance(8);
      case 2 -> {
        int length = readLength();
        pos += length;
      }
      case 5 -> advance(4);
      default -> throw new InvalidProtocolBufferException("unsupported wire type " + (tag & 7) + " at byte " + pos);
    }
  }

  private void advance(int n) throws InvalidProtocolBufferException {
    if (limit - pos < n) {
      throw new InvalidProtocolBufferException("truncated fixed-width field at byte " + pos);
    }
    pos += n;
  }
}
