package io.otelpipeline.core.lambda;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run in a JVM of its own by {@link LambdaLogFormatTest}, with the layer's logging configuration
 * and an environment as Lambda sets it: logs one line at each of DEBUG, INFO and WARN within an
 * invocation, to stdout, as a function would.
 */
final class LogLevelProbe {
  static final String REQUEST_ID = "3b1d6a52-probe";

  private LogLevelProbe() {}

  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger(LogLevelProbe.class);
    try (InvocationLogContext invocation = InvocationLogContext.open(new FixedContext(REQUEST_ID, "probe"))) {
      log.debug("probe at DEBUG");
      log.info("probe at INFO");
      log.warn("probe at WARN");
    }
  }
}
