package io.otelpipeline.core.scrape.exposition;

/** A scrape response that is not a valid exposition; the message names the line and the problem. */
public final class ExpositionException extends RuntimeException {
  private final int line;

  ExpositionException(int line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line number of the problem. */
  public int line() {
    return line;
  }
}
