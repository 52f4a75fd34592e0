package io.otelpipeline.core.consume;

/**
 * Where data goes that can never be handled (an undecodable record, a backend's permanent
 * refusal): kept with its raw bytes and the reason, so nothing is dropped silently.
 */
public interface FailureDestination {
  void send(StreamRecord record, String reason);
}
