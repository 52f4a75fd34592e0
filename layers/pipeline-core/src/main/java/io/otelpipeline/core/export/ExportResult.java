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

  public boolean succeeded() {
    return outcome == Outcome.SUCCESS;
  }
}
