package io.otelpipeline.local;

/** The template asks for something the local stack cannot honour; the message names the resource and property. */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
