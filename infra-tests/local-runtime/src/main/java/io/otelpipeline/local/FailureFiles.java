package io.otelpipeline.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OnFailure destination of an event source, locally: for each discarded batch, one file per
 * record with its raw data ({@code <shardId>/<sequenceNumber>.data}) and an invocation record
 * ({@code <shardId>/<first>-<last>.json}) shaped like the one Lambda writes to S3.
 */
final class FailureFiles {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Empty when the event source has no OnFailure destination: Lambda then discards the records. */
  private final Optional<Path> directory;
  private final String functionArn;
  private final KinesisSource source;
  private final AtomicLong records = new AtomicLong();

  FailureFiles(Optional<Path> directory, String functionArn, KinesisSource source) {
    this.directory = directory;
    this.functionArn = functionArn;
    this.source = source;
  }

  /** Records sent here so far. */
  long records() {
    return records.get();
  }

  /** Writes a discarded batch; {@code condition} is Lambda's: RetryAttemptsExhausted or RecordAgeExceeded. */
  void write(String shardId, List<QueuedRecord> batch, String condition, int retries, String lastError) {
    if (batch.isEmpty()) {
      return;
    }
    if (directory.isEmpty()) {
      System.err.println("[event source] " + functionArn + ": discarded " + batch.size() + " records of " + shardId + " from "
          + batch.get(0).sequenceNumber() + " (" + condition + "; no OnFailure destination)");
      return;
    }
    Path shardDir = directory.get().resolve(shardId);
    try {
      Files.createDirectories(shardDir);
      List<Map<String, Object>> entries = new ArrayList<>();
      for (QueuedRecord r : batch) {
        Files.write(shardDir.resolve(r.sequenceNumber() + ".data"), r.data());
        entries.add(Map.of("sequenceNumber", r.sequenceNumber(), "partitionKey", r.partitionKey(),
            "approximateArrivalTimestamp", r.arrival().toString(), "dataFile", r.sequenceNumber() + ".data"));
      }
      Map<String, Object> batchInfo = new LinkedHashMap<>();
      batchInfo.put("shardId", shardId);
      batchInfo.put("startSequenceNumber", batch.get(0).sequenceNumber());
      batchInfo.put("endSequenceNumber", batch.get(batch.size() - 1).sequenceNumber());
      batchInfo.put("approximateArrivalOfFirstRecord", batch.get(0).arrival().toString());
      batchInfo.put("approximateArrivalOfLastRecord", batch.get(batch.size() - 1).arrival().toString());
      batchInfo.put("batchSize", batch.size());
      batchInfo.put("streamArn", source.streamArn());
      Map<String, Object> invocation = new LinkedHashMap<>();
      invocation.put("requestContext", Map.of("functionArn", functionArn, "condition", condition,
          "approximateInvokeCount", retries + 1));
      invocation.put("responseContext", Map.of("functionError", lastError == null ? "" : lastError));
      invocation.put("version", "1.0");
      invocation.put("timestamp", Instant.now().toString());
      invocation.put("KinesisBatchInfo", batchInfo);
      invocation.put("records", entries);
      JSON.writeValue(shardDir.resolve(batch.get(0).sequenceNumber() + "-" + batch.get(batch.size() - 1).sequenceNumber() + ".json").toFile(), invocation);
      records.addAndGet(batch.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write failed records to " + shardDir + ": " + e.getMessage(), e);
    }
  }
}
