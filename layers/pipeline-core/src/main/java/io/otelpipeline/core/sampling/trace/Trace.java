package io.otelpipeline.core.sampling.trace;

import com.google.protobuf.ByteString;
import java.util.List;

/** The spans of one trace in hand when its decision is made. */
public record Trace(ByteString traceId, List<TraceSpan> spans) {
  public int spanCount() {
    return spans.size();
  }

  /** The root span, or the first span when the root has not arrived. */
  public TraceSpan representative() {
    for (TraceSpan s : spans) {
      if (s.isRoot()) {
        return s;
      }
    }
    return spans.get(0);
  }
}
