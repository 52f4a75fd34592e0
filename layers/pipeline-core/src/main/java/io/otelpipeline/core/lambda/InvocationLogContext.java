package io.otelpipeline.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import org.slf4j.MDC;

/**
 * The invocation's request id and function name in the logging context (SLF4J's MDC) while it is
 * open, so that every line the invocation logs carries them: deployed, the JSON layout writes the
 * request id as {@value #REQUEST_ID}, the key of Lambda's own JSON log lines. Each handler opens
 * one at its entry, in a try-with-resources around the whole invocation; closing it clears both,
 * so nothing logged between invocations names the previous one.
 */
public final class InvocationLogContext implements AutoCloseable {
  /** The request id's key: {@code Context.getAwsRequestId()}. */
  public static final String REQUEST_ID = "AWSRequestId";
  /** The function name's key: {@code Context.getFunctionName()}, which the local stack's console shows. */
  public static final String FUNCTION_NAME = "AWSFunctionName";

  private InvocationLogContext() {}

  /** Puts the request id and function name of {@code context} into the logging context; without a context (tests), neither. */
  public static InvocationLogContext open(Context context) {
    put(REQUEST_ID, context == null ? null : context.getAwsRequestId());
    put(FUNCTION_NAME, context == null ? null : context.getFunctionName());
    return new InvocationLogContext();
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    MDC.remove(REQUEST_ID);
    MDC.remove(FUNCTION_NAME);
  }
}
