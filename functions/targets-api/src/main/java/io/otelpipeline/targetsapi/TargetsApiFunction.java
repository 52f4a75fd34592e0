package io.otelpipeline.targetsapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.otelpipeline.core.auth.TokenSource;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.lambda.FunctionUrlEvents;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.targets.DynamoDbCollectorRegistry;
import io.otelpipeline.core.targets.ScrapeConfigs;
import io.otelpipeline.core.targets.DynamoDbTargetRegistry;
import io.otelpipeline.core.targets.TargetTables;
import io.otelpipeline.core.targets.TargetsApi;
import io.otelpipeline.core.targets.DynamoDbAssignmentStore;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The targets API behind a Function URL: registration, heartbeats and the Target Allocator's http_sd. */
public final class TargetsApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final TargetsApi api;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public TargetsApiFunction() {
    this(FunctionRuntime.current());
  }

  /** The composition: the token sources and the registries, from the runtime. */
  TargetsApiFunction(FunctionRuntime runtime) {
    this(build(runtime));
  }

  /** Tests: the API over their own stores. */
  TargetsApiFunction(TargetsApi api) {
    this.api = api;
  }

  private static TargetsApi build(FunctionRuntime runtime) {
    FunctionEnvironment env = runtime.environment();
    AwsClients aws = runtime.aws();
    DynamoDbClient dynamo = aws.dynamoDb();
    TargetTables tables = TargetTables.from(env);
    Clock clock = Clock.systemUTC();
    return new TargetsApi(
        TokenSource.load(env, aws),
        TokenSource.collectors(env, aws),
        ScrapeConfigs.from(runtime.pipelineConfig()),
        new DynamoDbTargetRegistry(dynamo, tables.targets(), clock),
        new DynamoDbCollectorRegistry(dynamo, tables.collectors(), clock),
        new DynamoDbAssignmentStore(dynamo, tables.scrapeState()));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      TargetsApi.Response r =
          api.handle(new TargetsApi.Request(
              FunctionUrlEvents.method(event),
              FunctionUrlEvents.path(event),
              event.getRawQueryString() == null ? "" : event.getRawQueryString(),
              FunctionUrlEvents.headers(event),
              FunctionUrlEvents.body(event)));
      return FunctionUrlEvents.response(r.status(), r.contentType(), r.body(), Map.of());
    }
  }
}
