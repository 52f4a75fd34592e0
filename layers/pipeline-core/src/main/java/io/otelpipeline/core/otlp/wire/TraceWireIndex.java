package io.otelpipeline.core.otlp.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An index of an ExportTraceServiceRequest's wire format: for each ResourceSpans and ScopeSpans,
 * the byte ranges of its spans and of its other fields, and where each span's trace id is. Spans
 * whose trace id is not 16 bytes, whose span id is not 8 bytes, or that a consumer's protobuf
 * parser would refuse ({@link TraceWireSchema}: invalid UTF-8, a malformed nested message, nesting
 * past the parser's limit, in the span or in its resource or scope) are counted as rejected and
 * named, by span id, in the rejection message.
 */
public final class TraceWireIndex {
  /** The fields of a ResourceSpans other than scope_spans, and its scopes. */
  public record ResourceBlock(List<WireSlice> otherFields, List<ScopeBlock> scopes, int spanCount) {}

  /**
   * The fields of a ScopeSpans other than spans, its accepted spans, for each span the offset of
   * its 16-byte trace id in the request, and its rejected spans.
   */
  public record ScopeBlock(List<WireSlice> otherFields, List<WireSlice> spans, int[] traceIdOffsets, List<WireSlice> rejected) {
    /** The same scope with every span rejected. */
    ScopeBlock allRejected() {
      List<WireSlice> all = new ArrayList<>(rejected);
      all.addAll(spans);
      return new ScopeBlock(otherFields, List.of(), new int[0], all);
    }
  }

  private final List<ResourceBlock> resources;
  private final int spanCount;
  private final int rejectedSpans;
  private final String rejectionMessage;

  private TraceWireIndex(List<ResourceBlock> resources, int spanCount, int rejectedSpans, String rejectionMessage) {
    this.resources = resources;
    this.spanCount = spanCount;
    this.rejectedSpans = rejectedSpans;
    this.rejectionMessage = rejectionMessage;
  }

  public List<ResourceBlock> resources() {
    return resources;
  }

  /** Spans accepted into the index; rejected ones are only counted. */
  public int spanCount() {
    return spanCount;
  }

  public int rejectedSpans() {
    return rejectedSpans;
  }

  public String rejectionMessage() {
    return rejectionMessage;
  }

  public static String hexTraceIdOfSpan(byte[] request, TraceWireIndex index, int spanIndex) {
    int i = 0;
    for (ResourceBlock r : index.resources) {
      if (spanIndex < i + r.spanCount) {
        for (ScopeBlock s : r.scopes) {
          if (spanIndex < i + s.spans.size()) {
            return hex(request, s.traceIdOffsets[spanIndex - i], 16);
          }
          i += s.spans.size();
        }
      }
      i += r.spanCount;
    }
    throw new IndexOutOfBoundsException("span " + spanIndex);
  }

  /**
   * The rejected spans of {@code request} (which this index was read from) as an
   * ExportTraceServiceRequest, under copies of their resource and scope fields: the bytes a
   * consumer sets aside when it cannot decode them.
   */
  public byte[] rejectedRequest(byte[] request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (ResourceBlock resource : resources) {
        int resourceBody = 0;
        int[] scopeBodies = new int[resource.scopes.size()];
        for (int s = 0; s < scopeBodies.length; s++) {
          ScopeBlock scope = resource.scopes.get(s);
          if (!scope.rejected.isEmpty()) {
            scopeBodies[s] = WireSlice.totalLength(scope.otherFields) + WireSlice.totalLength(scope.rejected);
            resourceBody += 1 + CodedOutputStream.computeUInt32SizeNoTag(scopeBodies[s]) + scopeBodies[s];
          }
        }
        if (resourceBody == 0) {
          continue;
        }
        resourceBody += WireSlice.totalLength(resource.otherFields);
        cos.writeTag(1, 2);
        cos.writeUInt32NoTag(resourceBody);
        write(cos, request, resource.otherFields);
        for (int s = 0; s < scopeBodies.length; s++) {
          ScopeBlock scope = resource.scopes.get(s);
          if (!scope.rejected.isEmpty()) {
            cos.writeTag(2, 2);
            cos.writeUInt32NoTag(scopeBodies[s]);
            write(cos, request, scope.otherFields);
            write(cos, request, scope.rejected);
          }
        }
      }
      cos.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(CodedOutputStream cos, byte[] request, List<WireSlice> slices) throws IOException {
    for (WireSlice f : slices) {
      cos.writeRawBytes(request, f.offset(), f.length());
    }
  }

  public static TraceWireIndex read(byte[] buf) throws InvalidProtocolBufferException {
    List<ResourceBlock> resources = new ArrayList<>();
    Counter counter = new Counter();
    WireReader top = new WireReader(buf, 0, buf.length);
    while (top.hasMore()) {
      int tag = top.readTag();
      if (tag == (1 << 3 | 2)) {
        int len = top.readLength();
        resources.add(readResource(buf, top.position(), top.position() + len, counter));
        top.skip(len);
      } else {
        top.skipValue(tag);
      }
    }
    return new TraceWireIndex(resources, counter.spans, counter.rejected, counter.message);
  }

  private static ResourceBlock readResource(byte[] buf, int from, int to, Counter counter)
      throws InvalidProtocolBufferException {
    List<WireSlice> other = new ArrayList<>(2);
    List<ScopeBlock> scopes = new ArrayList<>();
    int spans = 0;
    String problem = null;
    WireReader r = new WireReader(buf, from, to);
    while (r.hasMore()) {
      int start = r.position();
      int tag = r.readTag();
      if (tag == (2 << 3 | 2)) {
        int len = r.readLength();
        ScopeBlock scope = readScope(buf, r.position(), r.position() + len, counter);
        scopes.add(scope);
        spans += scope.spans.size();
        r.skip(len);
      } else {
        r.skipValue(tag);
        other.add(new WireSlice(start, r.position() - start));
        if (problem == null) {
          problem = TraceWireSchema.checkResourceField(buf, start, r.position());
        }
      }
    }
    if (problem != null) {
      List<ScopeBlock> rejected = new ArrayList<>(scopes.size());
      for (ScopeBlock scope : scopes) {
        counter.rejectAccepted(buf, scope, "its resource: " + problem);
        rejected.add(scope.allRejected());
      }
      return new ResourceBlock(other, rejected, 0);
    }
    return new ResourceBlock(other, scopes, spans);
  }

  private static ScopeBlock readScope(byte[] buf, int from, int to, Counter counter) throws InvalidProtocolBufferException {
    List<WireSlice> other = new ArrayList<>(2);
    List<WireSlice> spans = new ArrayList<>();
    List<WireSlice> rejected = List.of();
    int[] traceIds = new int[16];
    String problem = null;
    WireReader r = new WireReader(buf, from, to);
    while (r.hasMore()) {
      int start = r.position();
      int tag = r.readTag();
      if (tag == (2 << 3 | 2)) {
        int len = r.readLength();
        int traceIdOffset = checkSpan(buf, r.position(), r.position() + len, counter);
        r.skip(len);
        if (traceIdOffset >= 0) {
          counter.spans++;
          if (spans.size() == traceIds.length) {
            traceIds = java.util.Arrays.copyOf(traceIds, traceIds.length * 2);
          }
          traceIds[spans.size()] = traceIdOffset;
          spans.add(new WireSlice(start, r.position() - start));
        } else {
          if (rejected.isEmpty()) {
            rejected = new ArrayList<>(1);
          }
          rejected.add(new WireSlice(start, r.position() - start));
        }
      } else {
        r.skipValue(tag);
        other.add(new WireSlice(start, r.position() - start));
        if (problem == null) {
          problem = TraceWireSchema.checkScopeField(buf, start, r.position());
        }
      }
    }
    ScopeBlock scope = new ScopeBlock(other, spans, java.util.Arrays.copyOf(traceIds, spans.size()), rejected);
    if (problem != null) {
      counter.rejectAccepted(buf, scope, "its instrumentation scope: " + problem);
      return scope.allRejected();
    }
    return scope;
  }

  /** Returns the offset of the span's trace id, or -1 (and counts a rejection) when its ids are invalid. */
  private static int checkSpan(byte[] buf, int from, int to, Counter counter) throws InvalidProtocolBufferException {
    WireReader r = new WireReader(buf, from, to);
    int traceIdOffset = -1;
    int traceIdLength = 0;
    int spanIdOffset = -1;
    int spanIdLength = 0;
    String problem = null;
    while (r.hasMore()) {
      int tag = r.readTag();
      if (tag == (1 << 3 | 2)) {
        traceIdLength = r.readLength();
        traceIdOffset = r.position();
        r.skip(traceIdLength);
      } else if (tag == (2 << 3 | 2)) {
        spanIdLength = r.readLength();
        spanIdOffset = r.position();
        r.skip(spanIdLength);
      } else if ((tag & 7) == 2) {
        int length = r.readLength();
        if (problem == null) {
          problem = TraceWireSchema.checkSpanField(tag >>> 3, buf, r.position(), r.position() + length);
        }
        r.skip(length);
      } else {
        r.skipValue(tag);
      }
    }
    if (traceIdLength != 16 || allZero(buf, traceIdOffset, 16)) {
      counter.reject(null, "an invalid trace id: expected 16 bytes, not all zero, found " + traceIdLength + " bytes");
      return -1;
    }
    String spanName = "span " + hex(buf, spanIdOffset, spanIdLength) + " of trace " + hex(buf, traceIdOffset, 16);
    if (spanIdLength != 8) {
      counter.reject(spanName, "an invalid span id: expected 8 bytes, found " + spanIdLength + " bytes");
      return -1;
    }
    if (problem != null) {
      counter.reject(spanName, problem);
      return -1;
    }
    return traceIdOffset;
  }

  private static boolean allZero(byte[] buf, int offset, int len) {
    for (int i = 0; i < len; i++) {
      if (buf[offset + i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Counts accepted and rejected spans and names the first {@value #NAMED} rejected ones with their problem. */
  private static final class Counter {
    static final int NAMED = 5;

    int spans;
    int rejected;
    final List<String> named = new ArrayList<>(NAMED);
    String message;

    /** Counts a rejected span; {@code span} names it ("span 0102... of trace 0a0b..."), null when its ids are what is wrong. */
    void reject(String span, String why) {
      rejected++;
      if (named.size() < NAMED) {
        named.add((span == null ? "a span with " : span + ": ") + why);
      }
      message = rejected + (rejected == 1 ? " span" : " spans") + " rejected: " + String.join("; ", named)
          + (rejected > named.size() ? "; and " + (rejected - named.size()) + " more" : "");
    }

    /** Rejects the spans of a scope already accepted, because their resource or scope is unreadable. */
    void rejectAccepted(byte[] buf, ScopeBlock scope, String why) {
      for (int k = 0; k < scope.spans.size(); k++) {
        spans--;
        reject("a span of trace " + hex(buf, scope.traceIdOffsets[k], 16), why);
      }
    }
  }

  private static final java.util.HexFormat HEX = java.util.HexFormat.of();

  /** Lower-case hex of {@code length} bytes from {@code offset}, as ids are written in messages; empty for an absent id. */
  static String hex(byte[] bytes, int offset, int length) {
    return length <= 0 ? "" : HEX.formatHex(bytes, offset, offset + length);
  }
}
