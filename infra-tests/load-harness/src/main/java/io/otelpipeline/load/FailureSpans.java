package io.otelpipeline.load;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.RecordEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The spans kept in the local stack's failure destination: the functions' failure files
 * ({@code *.bin}, each a record envelope: a refused export, the undecodable spans of a record)
 * and what the event sources sent to their OnFailure destinations ({@code event-source/**}{@code /*.data},
 * raw stream records). Each span is named by its hex trace id and span id, as the sink watcher
 * names them; a file is read once (failure files are written whole and never change).
 */
final class FailureSpans {
  private static final HexFormat HEX = HexFormat.of();

  private final Path folder;
  private final Map<Path, Set<String>> read = new HashMap<>();
  private long unreadable;

  FailureSpans(Path folder) {
    this.folder = folder;
  }

  /** Trace id + span id (hex, concatenated) of every span of a traces record in the failure destination. */
  synchronized Set<String> spans() {
    for (Path file : files()) {
      read.computeIfAbsent(file, this::spansOf);
    }
    Set<String> all = new HashSet<>();
    read.values().forEach(all::addAll);
    return all;
  }

  /** Files that are not a traces record (metrics, logs, or bytes that are not an envelope). */
  synchronized long otherFiles() {
    return unreadable;
  }

  private List<Path> files() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".bin") || p.toString().endsWith(".data")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the failure folder " + folder + ": " + e.getMessage(), e);
    }
  }

  private Set<String> spansOf(Path file) {
    Set<String> ids = new HashSet<>();
    try {
      RecordEnvelope envelope = RecordEnvelope.parse(Files.readAllBytes(file));
      if (envelope.signal() != Signal.TRACES) {
        unreadable++;
        return ids;
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(envelope.otlpRequest());
      request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(
          s -> ids.add(HEX.formatHex(s.getTraceId().toByteArray()) + HEX.formatHex(s.getSpanId().toByteArray())))));
    } catch (IOException e) {
      unreadable++;
    } catch (RuntimeException e) {
      // not an envelope, or spans a parser refuses: nothing of it can be matched to an accepted span
      unreadable++;
    }
    return ids;
  }
}
