package io.otelpipeline.core.record;

/** A stream record that is not a valid envelope; the message names what is wrong. */
public final class RecordFormatException extends RuntimeException {
  public RecordFormatException(String message) {
    super(message);
  }
}
