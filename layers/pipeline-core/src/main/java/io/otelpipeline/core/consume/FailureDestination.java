package io.otelpipeline.core.consume;

/**
 * Where data goes that can never be handled (an undecodable record, a backend's permanent
 * refusal): kept with its raw bytes and the reason, so nothing is dropped silently. Every send
 * is kept under a name of its own, so two failures of the same record, or of spans gathered from
 * many records, never replace one another.
 */
public interface FailureDestination {
  /** Keeps the record and the reason; returns where they went (an S3 URI or a file), for the log. */
  String send(StreamRecord record, String reason);
}
