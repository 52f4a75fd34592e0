package io.otelpipeline.core.forward;

import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.telemetry.Unit;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch of stream records to the backend, in order. Consecutive records of one signal
 * travel as one export request while it stays under the exporter's size limit: the records'
 * payloads are complete OTLP requests and concatenated protobuf messages merge, so merging is a
 * byte copy.
 *
 * <p>Nothing is checkpointed past data that was not handled: a record that cannot be decoded goes
 * to the failure destination raw; a request the backend refuses for good goes there with the
 * backend's message; a request the backend may take later ends the batch, reported as failed from
 * its first record, so the event source retries from there.
 */
public final class RecordForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(RecordForwarder.class);
  /** Records sent to the failure destination, by reason ({@code undecodable} or {@code refused}). */
  public static final Counter FAILED_RECORDS = Counter.builder("otelpipeline_forwarder_failed_records")
      .setUnit(Unit.COUNT)
      .setDescription("Records the forwarder sent to the failure destination, by reason: undecodable, or refused for good by the backend.")
      .setDimensions("reason")
      .build();
  /** Export requests made, after merging consecutive records. */
  public static final Counter EXPORT_REQUESTS = Counter.builder("otelpipeline_forwarder_export_requests")
      .setUnit(Unit.COUNT)
      .setDescription("Export requests the forwarder made, by signal, after merging consecutive records into one request.")
      .setDimensions("signal")
      .build();

  private final SignalExporter exporter;
  private final FailureDestination failures;
  private final Telemetry telemetry;

  public RecordForwarder(SignalExporter exporter, FailureDestination failures, Telemetry telemetry) {
    this.exporter = exporter;
    this.failures = failures;
    this.telemetry = telemetry;
  }

  /** A decoded record: its OTLP request bytes and item count. */
  private record Decoded(StreamRecord record, Signal signal, byte[] otlpRequest, int itemCount) {}

  /**
   * Forwards the records, giving up on retries in time to answer before {@code deadline}.
   *
   * @return the first record not handled, if any
   */
  public BatchResult forward(List<StreamRecord> records, Instant deadline) {
    List<Decoded> run = new ArrayList<>();
    int runBytes = 0;
    for (StreamRecord record : records) {
      Decoded decoded;
      try {
        RecordEnvelope envelope = RecordEnvelope.parse(record.data());
        decoded = new Decoded(record, envelope.signal(), envelope.otlpRequest(), envelope.itemCount());
      } catch (RuntimeException undecodable) {
        BatchResult flushed = export(run, deadline);
        run.clear();
        runBytes = 0;
        if (!flushed.failedSequenceNumbers().isEmpty()) {
          return flushed;
        }
        if (!toFailureDestination(record, "undecodable", "cannot decode the record: " + undecodable.getMessage())) {
          return BatchResult.failedFrom(record.sequenceNumber());
        }
        continue;
      }
      boolean joins = !run.isEmpty()
          && run.get(0).signal() == decoded.signal()
          && (long) runBytes + decoded.otlpRequest().length <= exporter.maxRequestBytes();
      if (!run.isEmpty() && !joins) {
        BatchResult flushed = export(run, deadline);
        run.clear();
        runBytes = 0;
        if (!flushed.failedSequenceNumbers().isEmpty()) {
          return flushed;
        }
      }
      run.add(decoded);
      runBytes += decoded.otlpRequest().length;
    }
    return export(run, deadline);
  }

  /** Exports a run of records of one signal as one request. */
  private BatchResult export(List<Decoded> run, Instant deadline) {
    if (run.isEmpty()) {
      return BatchResult.allHandled();
    }
    ExportResult result = send(run, deadline);
    switch (result.outcome()) {
      case SUCCESS:
        return BatchResult.allHandled();
      case RETRYABLE:
        return BatchResult.failedFrom(run.get(0).record().sequenceNumber());
      default:
        if (run.size() > 1) {
          // One record's content may be what the backend refuses: send them one by one so the
          // others still get through and only the refused one goes to the failure destination.
          for (Decoded single : run) {
            BatchResult alone = export(List.of(single), deadline);
            if (!alone.failedSequenceNumbers().isEmpty()) {
              return alone;
            }
          }
          return BatchResult.allHandled();
        }
        StreamRecord record = run.get(0).record();
        return toFailureDestination(record, "refused", "the backend refused the record: " + result.message())
            ? BatchResult.allHandled()
            : BatchResult.failedFrom(record.sequenceNumber());
    }
  }

  private ExportResult send(List<Decoded> run, Instant deadline) {
    byte[] request;
    int items = 0;
    if (run.size() == 1) {
      request = run.get(0).otlpRequest();
      items = run.get(0).itemCount();
    } else {
      ByteArrayOutputStream merged = new ByteArrayOutputStream();
      for (Decoded d : run) {
        merged.writeBytes(d.otlpRequest());
        items += d.itemCount();
      }
      request = merged.toByteArray();
    }
    telemetry.count(EXPORT_REQUESTS, 1, Map.of("signal", run.get(0).signal().name().toLowerCase(Locale.ROOT)));
    return exporter.export(run.get(0).signal(), request, items, deadline);
  }

  /** False when the failure destination cannot take the record either; then it must stay in the stream. */
  private boolean toFailureDestination(StreamRecord record, String reasonKind, String reason) {
    try {
      failures.send(record, reason);
    } catch (RuntimeException e) {
      LOG.error("forwarder: cannot send record {} of {} to the failure destination ({}); it stays in the stream",
          record.sequenceNumber(), record.shardId(), e.getMessage(), e);
      return false;
    }
    LOG.warn("forwarder: record {} of {} sent to the failure destination: {}", record.sequenceNumber(), record.shardId(), reason);
    telemetry.count(FAILED_RECORDS, 1, Map.of("reason", reasonKind));
    return true;
  }
}
