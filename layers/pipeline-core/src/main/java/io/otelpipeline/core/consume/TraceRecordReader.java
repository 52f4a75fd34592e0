package io.otelpipeline.core.consume;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.otlp.wire.TraceWireIndex;
import io.otelpipeline.core.partition.TracePartitioner;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.RecordFormatException;
import io.otelpipeline.core.record.Tick;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a traces-stream record for a consumer. When the whole request does not parse, the spans
 * are taken one by one (as ingest indexes them): the good ones are handled and only the spans
 * that cannot be decoded, under their resource and scope, go to the failure destination, so one
 * bad span never costs its neighbours in the record.
 */
public final class TraceRecordReader {
  private final FailureDestination failures;
  private final String consumer;

  /** {@code consumer} names the function in the reasons it gives the failure destination. */
  public TraceRecordReader(FailureDestination failures, String consumer) {
    this.failures = failures;
    this.consumer = consumer;
  }

  /** What could be read of a record, and whether any of it went to the failure destination. */
  public record Read(Optional<ExportTraceServiceRequest> spans, boolean setAside) {}

  /** A record's spans; a {@link Tick} has none and is not a failure. */
  public Read read(StreamRecord record) {
    if (Tick.is(record.data())) {
      return new Read(Optional.empty(), false);
    }
    String where = consumer + " record " + record.shardId() + "/" + record.sequenceNumber();
    byte[] otlp;
    try {
      RecordEnvelope envelope = RecordEnvelope.parse(record.data());
      if (envelope.signal() != Signal.TRACES) {
        failures.send(record, where + " holds " + envelope.signal() + ", not traces; the traces stream carries spans only");
        return new Read(Optional.empty(), true);
      }
      otlp = envelope.otlpRequest();
    } catch (RecordFormatException e) {
      failures.send(record, where + " cannot be decoded: " + e.getMessage());
      return new Read(Optional.empty(), true);
    }
    try {
      return new Read(Optional.of(ExportTraceServiceRequest.parseFrom(otlp)), false);
    } catch (InvalidProtocolBufferException whole) {
      return salvage(record, where, otlp, whole);
    }
  }

  private Read salvage(StreamRecord record, String where, byte[] otlp, InvalidProtocolBufferException whole) {
    TraceWireIndex index;
    ExportTraceServiceRequest good;
    try {
      index = TraceWireIndex.read(otlp);
      List<Integer> all = new ArrayList<>(index.spanCount());
      for (int i = 0; i < index.spanCount(); i++) {
        all.add(i);
      }
      good = ExportTraceServiceRequest.parseFrom(TracePartitioner.build(otlp, index, all));
    } catch (InvalidProtocolBufferException e) {
      failures.send(record, where + " is not an OTLP ExportTraceServiceRequest: " + whole.getMessage());
      return new Read(Optional.empty(), true);
    }
    if (index.rejectedSpans() == 0) {
      // what failed lay outside the spans (an unreadable unknown field): every span is in hand
      return new Read(Optional.of(good), false);
    }
    byte[] rejected = index.rejectedRequest(otlp);
    byte[] envelope = RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, index.rejectedSpans(), rejected).toBytes();
    failures.send(new StreamRecord(record.streamArn(), record.shardId(), record.sequenceNumber(), record.partitionKey(), envelope, record.arrival()),
        where + ": " + index.rejectedSpans() + " of its spans cannot be decoded and are kept here, the other " + index.spanCount()
            + " were handled: " + index.rejectionMessage());
    return new Read(index.spanCount() == 0 ? Optional.empty() : Optional.of(good), true);
  }
}
