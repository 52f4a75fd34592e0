package io.otelpipeline.core.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Places a log record with a trace id on its trace's shard (so logs and spans of a trace meet), and
 * spreads records without one over the shards in turn.
 */
public final class LogPartitioner implements SignalPartitioner {
  private final Compression compression;
  private final AtomicLong spread = new AtomicLong();

  public LogPartitioner(Compression compression) {
    this.compression = compression;
  }

  @Override
  public Partitioned partition(byte[] otlpRequest, ShardMap shards) throws InvalidProtocolBufferException {
    ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(otlpRequest);
    Map<Integer, ExportLogsServiceRequest.Builder> byShard = new LinkedHashMap<>();
    Map<Integer, BigInteger> hashOfShard = new LinkedHashMap<>();
    Map<Integer, String> keyOfShard = new LinkedHashMap<>();
    int spreadShard = (int) (spread.getAndIncrement() % shards.size());
    long records = 0;
    long rejected = 0;
    String message = null;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord log : sl.getLogRecordsList()) {
          ByteString traceId = log.getTraceId();
          if (!traceId.isEmpty() && traceId.size() != 16) {
            rejected++;
            message = message != null ? message : "log record with an invalid trace id: expected 16 bytes, found " + traceId.size();
            continue;
          }
          int shard;
          String key;
          BigInteger hash;
          if (traceId.isEmpty()) {
            shard = spreadShard;
            hash = shards.shards().get(shard).startingHashKey();
            key = "spread-" + shard;
          } else {
            byte[] id = traceId.toByteArray();
            key = HashKey.hex(id);
            hash = HashKey.ofPartitionKey(key);
            shard = shards.indexOf(hash);
          }
          hashOfShard.putIfAbsent(shard, hash);
          keyOfShard.putIfAbsent(shard, key);
          append(byShard.computeIfAbsent(shard, s -> ExportLogsServiceRequest.newBuilder()), rl, sl, log);
          records++;
        }
      }
    }
    List<PackedRecord> out = new ArrayList<>();
    for (Map.Entry<Integer, ExportLogsServiceRequest.Builder> e : byShard.entrySet()) {
      pack(e.getValue().build(), keyOfShard.get(e.getKey()), hashOfShard.get(e.getKey()), out);
    }
    return new Partitioned(out, records, rejected, message);
  }

  private void pack(ExportLogsServiceRequest part, String key, BigInteger hash, List<PackedRecord> out) {
    List<LogRecord> all = new ArrayList<>();
    part.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> all.addAll(sl.getLogRecordsList())));
    RecordEnvelope envelope = RecordEnvelope.wrap(Signal.LOGS, compression, all.size(), part.toByteArray());
    if (envelope.sizeBytes() <= RecordLimits.MAX_PAYLOAD_BYTES || all.size() <= 1) {
      out.add(new PackedRecord(key, hash, envelope.toBytes(), all.size()));
      return;
    }
    java.util.Set<LogRecord> first = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    first.addAll(all.subList(0, all.size() / 2));
    ExportLogsServiceRequest.Builder a = ExportLogsServiceRequest.newBuilder();
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    for (ResourceLogs rl : part.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord log : sl.getLogRecordsList()) {
          append(first.contains(log) ? a : b, rl, sl, log);
        }
      }
    }
    pack(a.build(), key, hash, out);
    pack(b.build(), key, hash, out);
  }

  private static void append(ExportLogsServiceRequest.Builder b, ResourceLogs rl, ScopeLogs sl, LogRecord log) {
    int rc = b.getResourceLogsCount();
    ResourceLogs.Builder rb;
    if (rc > 0 && b.getResourceLogs(rc - 1).getResource().equals(rl.getResource())) {
      rb = b.getResourceLogsBuilder(rc - 1);
    } else {
      rb = b.addResourceLogsBuilder().setResource(rl.getResource()).setSchemaUrl(rl.getSchemaUrl());
    }
    int sc = rb.getScopeLogsCount();
    ScopeLogs.Builder sb;
    if (sc > 0 && rb.getScopeLogs(sc - 1).getScope().equals(sl.getScope())) {
      sb = rb.getScopeLogsBuilder(sc - 1);
    } else {
      sb = rb.addScopeLogsBuilder().setScope(sl.getScope()).setSchemaUrl(sl.getSchemaUrl());
    }
    sb.addLogRecords(log);
  }
}
