package io.otelpipeline.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.FailureDestinations;
import io.otelpipeline.core.consume.StreamRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Failed records as files: {@code <stream>.<shard>.<sequence>.<unique id>.bin} holds the record's
 * raw bytes and a {@code .json} beside it the stream, shard, sequence number, partition key and
 * reason. The local stack keeps its failures here, and tests read them back.
 */
public final class FolderFailureDestination implements FailureDestination {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;

  public FolderFailureDestination(Path folder) {
    this.folder = folder;
  }

  @Override
  public String send(StreamRecord record, String reason) {
    String stream = FailureDestinations.streamName(record.streamArn());
    String base = safe(stream) + "." + safe(record.shardId()) + "." + safe(record.sequenceNumber()) + "." + FailureDestinations.uniqueSuffix();
    ObjectNode sidecar = JSON.createObjectNode();
    sidecar.put("stream", stream);
    sidecar.put("streamArn", record.streamArn());
    sidecar.put("shardId", record.shardId());
    sidecar.put("sequenceNumber", record.sequenceNumber());
    sidecar.put("partitionKey", record.partitionKey());
    sidecar.put("arrival", String.valueOf(record.arrival()));
    sidecar.put("bytes", record.data().length);
    sidecar.put("reason", reason);
    try {
      Files.createDirectories(folder);
      Files.write(folder.resolve(base + ".bin"), record.data());
      Files.write(folder.resolve(base + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sidecar));
      return folder.resolve(base + ".bin").toString();
    } catch (IOException e) {
      throw new UncheckedIOException("failure destination: cannot write " + base + " under " + folder + ": " + e.getMessage(), e);
    }
  }

  private static String safe(String part) {
    return part == null || part.isEmpty() ? "unknown" : part.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public String toString() {
    return "failure folder " + folder;
  }
}
