package io.otelpipeline.core.config;

/** A configuration that cannot be used; the message names the file, key or variable at fault. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
