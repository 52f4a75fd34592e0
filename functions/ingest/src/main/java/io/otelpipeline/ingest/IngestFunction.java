package io.otelpipeline.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.ingest.IngestRequest;
import io.otelpipeline.core.ingest.IngestResponse;
import io.otelpipeline.core.ingest.OtlpReceiver;
import io.otelpipeline.core.lambda.FunctionUrlEvents;
import io.otelpipeline.core.telemetry.Telemetry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The OTLP/HTTP endpoint behind a Function URL: translates the event and hands it to the receiver. */
public class IngestFunction extends MicronautRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  /** Time left for the stream write: under the function's 30 s timeout, with room to answer. */
  static final Duration REQUEST_BUDGET = Duration.ofSeconds(20);

  @Inject OtlpReceiver receiver;
  @Inject Telemetry telemetry;
  @Inject Clock clock;

  /** Deployed: the environment is the process's. */
  public IngestFunction() {
    super();
  }

  /** The local stack: the environment the template gives this function. */
  public IngestFunction(Map<String, String> environment) {
    super(ApplicationContext.builder().singletons(new FunctionEnvironment(environment)));
  }

  /** Tests: a context with the receiver's collaborators already in it. */
  IngestFunction(ApplicationContextBuilder context) {
    super(context);
  }

  @Override
  public APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
    try {
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
