package io.otelpipeline.core.otlp.wire;

import java.util.List;

/** A range of bytes inside a protobuf message: one whole field, tag and length included. */
public record WireSlice(int offset, int length) {
  public static int totalLength(List<WireSlice> slices) {
    int n = 0;
    for (WireSlice s : slices) {
      n += s.length;
    }
    return n;
  }
}
