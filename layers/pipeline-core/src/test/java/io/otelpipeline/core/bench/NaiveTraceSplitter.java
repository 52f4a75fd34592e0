package io.otelpipeline.core.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.HashKey;
import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The obvious way to partition by trace, kept as the benchmark's baseline: parse into objects,
 * group spans by trace id, rebuild one request per trace, serialise it, one record per trace.
 */
final class NaiveTraceSplitter {
  private NaiveTraceSplitter() {}

  static List<PackedRecord> split(byte[] request, Compression compression) throws Exception {
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(request);
    Map<ByteString, ExportTraceServiceRequest.Builder> byTrace = new LinkedHashMap<>();
    Map<ByteString, Integer> counts = new LinkedHashMap<>();
    for (ResourceSpans rs : parsed.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          ExportTraceServiceRequest.Builder b = byTrace.computeIfAbsent(span.getTraceId(), t -> ExportTraceServiceRequest.newBuilder());
          b.addResourceSpans(ResourceSpans.newBuilder().setResource(rs.getResource()).setSchemaUrl(rs.getSchemaUrl())
              .addScopeSpans(ScopeSpans.newBuilder().setScope(ss.getScope()).addSpans(span)));
          counts.merge(span.getTraceId(), 1, Integer::sum);
        }
      }
    }
    List<PackedRecord> records = new ArrayList<>();
    for (Map.Entry<ByteString, ExportTraceServiceRequest.Builder> e : byTrace.entrySet()) {
      String key = HashKey.hex(e.getKey().toByteArray());
      int count = counts.get(e.getKey());
      byte[] data = RecordEnvelope.wrap(Signal.TRACES, compression, count, e.getValue().build().toByteArray()).toBytes();
      records.add(new PackedRecord(key, null, data, count));
    }
    return records;
  }
}
