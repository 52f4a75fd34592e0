package io.otelpipeline.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.otelpipeline.core.ingest.IngestRequest;
import io.otelpipeline.core.ingest.IngestResponse;
import io.otelpipeline.core.ingest.OtlpReceiver;
import io.otelpipeline.core.lambda.FunctionUrlEvents;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;

/** The OTLP/HTTP endpoint behind a Function URL: translates the event and hands it to the receiver. */
public final class IngestFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  /** Time left for the stream write: under the function's 30 s timeout, with room to answer. */
  static final Duration REQUEST_BUDGET = Duration.ofSeconds(20);

  private final OtlpReceiver receiver;
  private final Telemetry telemetry;
  private final Clock clock;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public IngestFunction() {
    this(FunctionRuntime.current(), Clock.systemUTC());
  }

  private IngestFunction(FunctionRuntime runtime, Clock clock) {
    this(runtime.telemetry("ingest"), runtime, clock);
  }

  private IngestFunction(Telemetry telemetry, FunctionRuntime runtime, Clock clock) {
    this(IngestWiring.receiver(runtime, telemetry, clock), telemetry, clock);
  }

  /** Tests: the receiver with its collaborators. */
  IngestFunction(OtlpReceiver receiver, Telemetry telemetry, Clock clock) {
    this.receiver = receiver;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      IngestResponse response = receiver.handle(new IngestRequest(
          FunctionUrlEvents.method(event),
          FunctionUrlEvents.path(event),
          FunctionUrlEvents.headers(event),
          FunctionUrlEvents.body(event),
          clock.instant().plus(REQUEST_BUDGET)));
      return FunctionUrlEvents.response(response.status(), response.contentType(), response.body(), response.headers());
    } finally {
      telemetry.flush();
    }
  }
}
