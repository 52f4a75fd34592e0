package io.otelpipeline.core.stream;

import io.otelpipeline.core.partition.PackedRecord;
import java.time.Instant;
import java.util.List;

/** Writes records to one stream, retrying what fails until a deadline. */
public interface StreamWriter {
  WriteOutcome write(String streamName, List<PackedRecord> records, Instant deadline);
}
