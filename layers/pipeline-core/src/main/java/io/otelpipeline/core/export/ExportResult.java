package io.otelpipeline.core.export;

/** What became of one export: sent, worth retrying later, or refused for good with the backend's message. */
public record ExportResult(Outcome outcome, String message) {
  public enum Outcome {
    SUCCESS,
    /** The backend may take it later (429, 502, 503, 504, connection failure, breaker open). */
    RETRYABLE,
    /** The backend will never take it (other 4xx): it goes to the failure destination. */
    PERMANENT
  }

  public static ExportResult success() {
    return new ExportResult(Outcome.SUCCESS, "");
  }

  public static ExportResult retryable(String message) {
    return new ExportResult(Outcome.RETRYABLE, message);
  }

  public static ExportResult permanent(String message) {
    return new ExportResult(Outcome.PERMANENT, message);
  }

  /**
   * The outcome of two exports of one request's data taken together: a retryable failure wins
   * (the data must be offered again), then a permanent one, whose message is kept.
   */
  public ExportResult and(ExportResult other) {
    if (outcome == Outcome.RETRYABLE || other.outcome == Outcome.SUCCESS) {
      return this;
    }
    if (other.outcome == Outcome.RETRYABLE || outcome == Outcome.SUCCESS) {
      return other;
    }
    return this;
  }

  public boolean succeeded() {
    return outcome == Outcome.SUCCESS;
  }
}
