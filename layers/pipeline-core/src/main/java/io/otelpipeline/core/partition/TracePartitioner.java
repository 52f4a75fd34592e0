package io.otelpipeline.core.partition;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.otlp.wire.TraceWireIndex;
import io.otelpipeline.core.otlp.wire.TraceWireIndex.ResourceBlock;
import io.otelpipeline.core.otlp.wire.TraceWireIndex.ScopeBlock;
import io.otelpipeline.core.otlp.wire.WireSlice;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places every span on the shard that owns its trace id and packs the spans of each shard into as
 * few records as the record size allows. It never builds span objects: it indexes the request's
 * wire format and copies each span's bytes, and the resource and scope bytes around them, into one
 * ExportTraceServiceRequest per record.
 */
public final class TracePartitioner implements SignalPartitioner {
  private final Compression compression;

  public TracePartitioner(Compression compression) {
    this.compression = compression;
  }

  @Override
  public Partitioned partition(byte[] request, ShardMap shards) throws InvalidProtocolBufferException {
    TraceWireIndex index = TraceWireIndex.read(request);
    int spanCount = index.spanCount();
    int[] shardOfSpan = new int[spanCount];
    BigInteger[] hashOfSpan = new BigInteger[spanCount];
    Map<TraceKey, BigInteger> hashes = new HashMap<>();
    int i = 0;
    for (ResourceBlock r : index.resources()) {
      for (ScopeBlock s : r.scopes()) {
        for (int k = 0; k < s.spans().size(); k++, i++) {
          int traceIdOffset = s.traceIdOffsets()[k];
          BigInteger hash =
              hashes.computeIfAbsent(new TraceKey(request, traceIdOffset), t -> HashKey.ofTraceId(request, traceIdOffset));
          hashOfSpan[i] = hash;
          shardOfSpan[i] = shards.indexOf(hash);
        }
      }
    }
    List<PackedRecord> records = new ArrayList<>();
    for (int shard = 0; shard < shards.size(); shard++) {
      List<Integer> spans = new ArrayList<>();
      for (int k = 0; k < spanCount; k++) {
        if (shardOfSpan[k] == shard) {
          spans.add(k);
        }
      }
      if (!spans.isEmpty()) {
        pack(request, index, spans, hashOfSpan, records);
      }
    }
    long rejected = index.rejectedSpans();
    return new Partitioned(records, spanCount, rejected, index.rejectionMessage());
  }

  /** Builds one record of these spans, halving the set while the compressed record is too big. */
  private void pack(byte[] request, TraceWireIndex index, List<Integer> spans, BigInteger[] hashOfSpan, List<PackedRecord> out) {
    byte[] otlp = build(request, index, spans);
    if (otlp.length <= RecordLimits.MAX_UNCOMPRESSED_BYTES || spans.size() == 1) {
      RecordEnvelope envelope = RecordEnvelope.wrap(Signal.TRACES, compression, spans.size(), otlp);
      if (envelope.sizeBytes() <= RecordLimits.MAX_PAYLOAD_BYTES || spans.size() == 1) {
        int first = spans.get(0);
        String partitionKey = TraceWireIndex.hexTraceIdOfSpan(request, index, first);
        out.add(new PackedRecord(partitionKey, hashOfSpan[first], envelope.toBytes(), spans.size()));
        return;
      }
    }
    int half = spans.size() / 2;
    pack(request, index, spans.subList(0, half), hashOfSpan, out);
    pack(request, index, spans.subList(half, spans.size()), hashOfSpan, out);
  }

  /** Serialises an ExportTraceServiceRequest holding only the chosen spans, by copying bytes. */
  public static byte[] build(byte[] request, TraceWireIndex index, List<Integer> chosen) {
    boolean[] take = new boolean[index.spanCount()];
    for (int k : chosen) {
      take[k] = true;
    }
    // First pass: sizes of every scope and resource that keeps at least one span.
    List<ResourceBlock> resources = index.resources();
    int[][] scopeSizes = new int[resources.size()][];
    int[] resourceSizes = new int[resources.size()];
    int total = 0;
    int i = 0;
    for (int r = 0; r < resources.size(); r++) {
      ResourceBlock resource = resources.get(r);
      scopeSizes[r] = new int[resource.scopes().size()];
      int resourceBody = 0;
      for (int s = 0; s < resource.scopes().size(); s++) {
        ScopeBlock scope = resource.scopes().get(s);
        int body = 0;
        for (WireSlice span : scope.spans()) {
          if (take[i++]) {
            body += span.length();
          }
        }
        if (body > 0) {
          body += WireSlice.totalLength(scope.otherFields());
          scopeSizes[r][s] = body;
          resourceBody += 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
        } else {
          scopeSizes[r][s] = -1;
        }
      }
      if (resourceBody > 0) {
        resourceBody += WireSlice.totalLength(resource.otherFields());
        resourceSizes[r] = resourceBody;
        total += 1 + CodedOutputStream.computeUInt32SizeNoTag(resourceBody) + resourceBody;
      } else {
        resourceSizes[r] = -1;
      }
    }
    byte[] out = new byte[total];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      i = 0;
      for (int r = 0; r < resources.size(); r++) {
        ResourceBlock resource = resources.get(r);
        if (resourceSizes[r] < 0) {
          i += resource.spanCount();
          continue;
        }
        cos.writeTag(1, 2);
        cos.writeUInt32NoTag(resourceSizes[r]);
        for (WireSlice f : resource.otherFields()) {
          cos.writeRawBytes(request, f.offset(), f.length());
        }
        for (int s = 0; s < resource.scopes().size(); s++) {
          ScopeBlock scope = resource.scopes().get(s);
          if (scopeSizes[r][s] < 0) {
            i += scope.spans().size();
            continue;
          }
          cos.writeTag(2, 2);
          cos.writeUInt32NoTag(scopeSizes[r][s]);
          for (WireSlice f : scope.otherFields()) {
            cos.writeRawBytes(request, f.offset(), f.length());
          }
          for (WireSlice span : scope.spans()) {
            if (take[i++]) {
              cos.writeRawBytes(request, span.offset(), span.length());
            }
          }
        }
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A trace id located in the request bytes, compared by value without copying it. */
  private record TraceKey(byte[] buf, int offset) {
    @Override
    public boolean equals(Object o) {
      return o instanceof TraceKey t && java.util.Arrays.equals(buf, offset, offset + 16, t.buf, t.offset, t.offset + 16);
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (int k = 0; k < 16; k++) {
        h = 31 * h + buf[offset + k];
      }
      return h;
    }
  }
}
