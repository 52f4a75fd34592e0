package io.otelpipeline.spanmetrics;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.aws.RemoteConfigSource;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.consume.FailureDestinations;
import io.otelpipeline.core.export.Exporters;
import io.otelpipeline.core.lambda.KinesisEvents;
import io.otelpipeline.core.servicegraph.DynamoDbPendingEdgeStore;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.spanmetrics.CloudWatchRedMetrics;
import io.otelpipeline.core.spanmetrics.DynamoDbSeriesTotals;
import io.otelpipeline.core.spanmetrics.DynamoDbSpanLedger;
import io.otelpipeline.core.spanmetrics.SpanMetricsConfig;
import io.otelpipeline.core.spanmetrics.SpanMetricsConsumer;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;

/**
 * Consumes the traces stream through its own event source and exports span metrics and the
 * service graph. With neither connector in the configuration (and no service.pipelines) both run
 * with their defaults; otherwise only the ones that run (declared, and named by a pipeline when
 * service.pipelines is declared).
 */
public final class SpanMetricsFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  private final SpanMetricsConsumer consumer;
  private final Telemetry telemetry;

  /** Deployed: the process environment. */
  public SpanMetricsFunction() {
    this(System.getenv());
  }

  /** The local stack: the environment the template gives this function. */
  public SpanMetricsFunction(Map<String, String> environment) {
    this(new FunctionEnvironment(environment), Telemetry.forFunction("span-metrics", new FunctionEnvironment(environment)));
  }

  private SpanMetricsFunction(FunctionEnvironment env, Telemetry telemetry) {
    this(consumer(env, telemetry, Clock.systemUTC()), telemetry);
  }

  /** Tests: the consumer and the telemetry it writes to. */
  SpanMetricsFunction(SpanMetricsConsumer consumer, Telemetry telemetry) {
    this.consumer = consumer;
    this.telemetry = telemetry;
  }

  private static SpanMetricsConsumer consumer(FunctionEnvironment env, Telemetry telemetry, Clock clock) {
    AwsClients aws = new AwsClients(env);
    PipelineConfig config = PipelineConfig.load(env, new RemoteConfigSource(aws));
    Optional<SpanMetricsConfig> spanMetrics = SpanMetricsConfig.from(config);
    Optional<ServiceGraphConfig> serviceGraph = ServiceGraphConfig.from(config);
    if (spanMetrics.isEmpty() && serviceGraph.isEmpty() && !config.pipelines().declared()) {
      spanMetrics = Optional.of(SpanMetricsConfig.defaults());
      serviceGraph = Optional.of(ServiceGraphConfig.defaults());
    }
    System.out.println("span-metrics: spanmetrics " + (spanMetrics.isPresent() ? "on" : "off") + ", servicegraph "
        + (serviceGraph.isPresent() ? "on" : "off") + " (" + config.source() + ")");
    spanMetrics.ifPresent(c -> c.notes().forEach(note -> System.out.println("span-metrics: " + note)));
    serviceGraph.ifPresent(c -> c.notes().forEach(note -> System.out.println("span-metrics: " + note)));
    String table = env.require("SPAN_METRICS_TABLE");
    DynamoDbClient dynamo = aws.dynamoDb();
    return new SpanMetricsConsumer(
        spanMetrics,
        serviceGraph,
        new DynamoDbSpanLedger(dynamo, table, clock),
        new DynamoDbPendingEdgeStore(dynamo, table),
        new DynamoDbSeriesTotals(dynamo, table),
        redMetrics(env),
        Exporters.create(env, config, telemetry, Feed.SPAN_METRICS_CONNECTORS),
        FailureDestinations.create(env),
        telemetry,
        clock);
  }

  /** With {@code SPANMETRICS_EMF=true}, RED metrics also go to CloudWatch as EMF in the function's log. */
  private static Optional<CloudWatchRedMetrics> redMetrics(FunctionEnvironment env) {
    if (!env.getBoolean("SPANMETRICS_EMF", false)) {
      return Optional.empty();
    }
    return Optional.of(
        CloudWatchRedMetrics.create(
            env.getOrDefault("SPANMETRICS_EMF_NAMESPACE", CloudWatchRedMetrics.DEFAULT_NAMESPACE),
            env.getInt("SPANMETRICS_EMF_SPAN_NAME_LIMIT", CloudWatchRedMetrics.DEFAULT_SPAN_NAME_LIMIT),
            new LambdaEnvironment()));
  }

  @Override
  public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
    try {
      return KinesisEvents.response(consumer.consume(KinesisEvents.records(event)));
    } finally {
      telemetry.flush();
    }
  }
}
