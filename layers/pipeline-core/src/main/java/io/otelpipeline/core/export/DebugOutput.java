package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.Signal;
import java.io.IOException;
import java.io.PrintStream;

/** Where the {@code debug} exporter writes each request, as one line of OTLP/JSON. */
public interface DebugOutput {
  /** Writes one request of {@code signal}; an {@link IOException} makes the export retryable. */
  void write(Signal signal, String line) throws IOException;

  /** Each line to {@code log} (a Lambda function's stdout goes to its log). */
  static DebugOutput log(PrintStream log) {
    return new DebugOutput() {
      @Override
      public void write(Signal signal, String line) {
        log.println(line);
      }

      @Override
      public String toString() {
        return "OTLP JSON lines in the function's log";
      }
    };
  }
}
