package io.otelpipeline.core.sampling.ottl;

/** The OTTL contexts a tail-sampling condition can run in, as the Collector names them. */
public enum OttlContext {
  /** Evaluated once per span; {@code attributes} and {@code name} are the span's. */
  SPAN,
  /** Evaluated once per span event; {@code attributes} and {@code name} are the event's, the span's are under {@code span.}. */
  SPANEVENT
}
