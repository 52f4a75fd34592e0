package io.otelpipeline.core.partition;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelpipeline.core.otlp.OtlpCounts;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places each metric by its series identity (the resource's service.name and the metric name), so
 * every point of a series goes to one shard in order, and packs each shard's metrics into records.
 */
public final class MetricPartitioner implements SignalPartitioner {
  private final Compression compression;

  public MetricPartitioner(Compression compression) {
    this.compression = compression;
  }

  @Override
  public Partitioned partition(byte[] otlpRequest, ShardMap shards) throws InvalidProtocolBufferException {
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(otlpRequest);
    Map<Integer, ExportMetricsServiceRequest.Builder> byShard = new LinkedHashMap<>();
    Map<Integer, BigInteger> keyOfShard = new LinkedHashMap<>();
    Map<Integer, String> partitionKeyOfShard = new LinkedHashMap<>();
    long points = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      String service = serviceName(rm.getResource().getAttributesList());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          String key = service + "/" + metric.getName();
          BigInteger hash = HashKey.ofPartitionKey(key);
          int shard = shards.indexOf(hash);
          keyOfShard.putIfAbsent(shard, hash);
          partitionKeyOfShard.putIfAbsent(shard, key);
          ExportMetricsServiceRequest.Builder b = byShard.computeIfAbsent(shard, s -> ExportMetricsServiceRequest.newBuilder());
          appendMetric(b, rm, sm, metric);
          points += OtlpCounts.dataPoints(metric);
        }
      }
    }
    List<PackedRecord> records = new ArrayList<>();
    for (Map.Entry<Integer, ExportMetricsServiceRequest.Builder> e : byShard.entrySet()) {
      ExportMetricsServiceRequest part = e.getValue().build();
      pack(part, partitionKeyOfShard.get(e.getKey()), keyOfShard.get(e.getKey()), records);
    }
    return new Partitioned(records, points, 0, null);
  }

  private void pack(ExportMetricsServiceRequest part, String partitionKey, BigInteger hash, List<PackedRecord> out) {
    byte[] bytes = part.toByteArray();
    int count = OtlpCounts.dataPoints(part);
    RecordEnvelope envelope = RecordEnvelope.wrap(Signal.METRICS, compression, count, bytes);
    List<Metric> all = allMetrics(part);
    if (envelope.sizeBytes() <= RecordLimits.MAX_PAYLOAD_BYTES || all.size() <= 1) {
      out.add(new PackedRecord(partitionKey, hash, envelope.toBytes(), count));
      return;
    }
    int half = all.size() / 2;
    pack(subset(part, all.subList(0, half)), partitionKey, hash, out);
    pack(subset(part, all.subList(half, all.size())), partitionKey, hash, out);
  }

  private static List<Metric> allMetrics(ExportMetricsServiceRequest r) {
    List<Metric> all = new ArrayList<>();
    r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> all.addAll(sm.getMetricsList())));
    return all;
  }

  private static ExportMetricsServiceRequest subset(ExportMetricsServiceRequest r, List<Metric> keep) {
    java.util.Set<Metric> wanted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    wanted.addAll(keep);
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    for (ResourceMetrics rm : r.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (wanted.contains(m)) {
            appendMetric(b, rm, sm, m);
          }
        }
      }
    }
    return b.build();
  }

  /** Appends the metric under its resource and scope, reusing the last resource and scope when they match. */
  private static void appendMetric(ExportMetricsServiceRequest.Builder b, ResourceMetrics rm, ScopeMetrics sm, Metric metric) {
    int rc = b.getResourceMetricsCount();
    ResourceMetrics.Builder rb;
    if (rc > 0
        && b.getResourceMetrics(rc - 1).getResource().equals(rm.getResource())
        && b.getResourceMetrics(rc - 1).getSchemaUrl().equals(rm.getSchemaUrl())) {
      rb = b.getResourceMetricsBuilder(rc - 1);
    } else {
      rb = b.addResourceMetricsBuilder().setResource(rm.getResource()).setSchemaUrl(rm.getSchemaUrl());
    }
    int sc = rb.getScopeMetricsCount();
    ScopeMetrics.Builder sb;
    if (sc > 0
        && rb.getScopeMetrics(sc - 1).getScope().equals(sm.getScope())
        && rb.getScopeMetrics(sc - 1).getSchemaUrl().equals(sm.getSchemaUrl())) {
      sb = rb.getScopeMetricsBuilder(sc - 1);
    } else {
      sb = rb.addScopeMetricsBuilder().setScope(sm.getScope()).setSchemaUrl(sm.getSchemaUrl());
    }
    sb.addMetrics(metric);
  }

  static String serviceName(List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return "unknown_service";
  }
}
