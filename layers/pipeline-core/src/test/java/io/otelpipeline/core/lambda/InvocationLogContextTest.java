package io.otelpipeline.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class InvocationLogContextTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void theInvocationsRequestIdAndFunctionAreInTheLoggingContextUntilItCloses() {
    try (InvocationLogContext invocation = InvocationLogContext.open(new FixedContext("8f2c-request", "otel-pipeline-forwarder"))) {
      assertEquals("8f2c-request", MDC.get(InvocationLogContext.REQUEST_ID));
      assertEquals("otel-pipeline-forwarder", MDC.get(InvocationLogContext.FUNCTION_NAME));
    }
    assertNull(MDC.get(InvocationLogContext.REQUEST_ID));
    assertNull(MDC.get(InvocationLogContext.FUNCTION_NAME));
  }

  @Test
  void anInvocationWithoutAContextCarriesNoRequestIdOfAnEarlierOne() {
    MDC.put(InvocationLogContext.REQUEST_ID, "left-over");
    try (InvocationLogContext invocation = InvocationLogContext.open(null)) {
      assertNull(MDC.get(InvocationLogContext.REQUEST_ID));
    }
  }
}
