package io.otelpipeline.core.targets;

/** A target or registration that cannot be accepted; names the field at fault. */
public final class InvalidTargetException extends RuntimeException {
  private final String field;

  public InvalidTargetException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
