package io.otelpipeline.spanmetrics;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.connectors.SpanConnectorsConsumer;
import io.otelpipeline.core.connectors.SpanConnectorsSettings;
import io.otelpipeline.core.connectors.SpanConnectorsShardState;
import io.otelpipeline.core.connectors.SpanConnectorsShardStateCodec;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.lambda.KinesisEvents;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.shardstate.S3ShardStateStore;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.spanmetrics.CloudWatchRedMetrics;
import io.otelpipeline.core.spanmetrics.DynamoDbSeriesTotals;
import io.otelpipeline.core.spanmetrics.SeriesTotals;
import io.otelpipeline.core.stream.KinesisShardLineage;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;

/**
 * Consumes the traces stream through its own event source and exports span metrics and the
 * service graph. With neither connector in the configuration (and no service.pipelines) both run
 * with their defaults; otherwise only the ones that run (declared, and named by a pipeline when
 * service.pipelines is declared).
 *
 * <p>Each shard's state (span ids seen recently, service-graph halves waiting) is an object in
 * {@code SHARD_STATE_BUCKET} fenced by an item in {@code SHARD_STATE_TABLE}. {@code SPAN_METRICS_TABLE}
 * is read only with cumulative span metrics, whose running totals all shards share.
 * {@code SPANMETRICS_DEDUP_WINDOW} (default 2m) and {@code SPANMETRICS_DEDUP_MAX_SPANS} (default
 * 250000) bound how long, in the stream's time, and how many span ids a shard remembers to count
 * a duplicate span once.
 */
public final class SpanMetricsFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  private static final Logger LOG = LoggerFactory.getLogger(SpanMetricsFunction.class);
  private final SpanConnectorsConsumer consumer;
  private final Telemetry telemetry;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public SpanMetricsFunction() {
    this(FunctionRuntime.current());
  }

  private SpanMetricsFunction(FunctionRuntime runtime) {
    this(runtime, new KinesisShardLineage(runtime.aws().kinesis()));
  }

  /** The composition, with the shard lineage given (tests give one that needs no Kinesis). */
  SpanMetricsFunction(FunctionRuntime runtime, ShardLineage lineage) {
    this(runtime, lineage, runtime.telemetry("span-metrics"));
  }

  private SpanMetricsFunction(FunctionRuntime runtime, ShardLineage lineage, Telemetry telemetry) {
    this(consumer(runtime, lineage, telemetry, Clock.systemUTC()), telemetry);
  }

  /** Tests: the consumer and the telemetry it writes to. */
  SpanMetricsFunction(SpanConnectorsConsumer consumer, Telemetry telemetry) {
    this.consumer = consumer;
    this.telemetry = telemetry;
  }

  private static SpanConnectorsConsumer consumer(FunctionRuntime runtime, ShardLineage lineage, Telemetry telemetry, Clock clock) {
    AwsClients aws = runtime.aws();
    PipelineConfig config = runtime.pipelineConfig();
    SpanConnectorsSettings settings = SpanConnectorsSettings.from(runtime.environment(), config);
    settings.report(config.source()).forEach(line -> LOG.info("span-metrics: {}", line));
    DynamoDbClient dynamo = aws.dynamoDb();
    ShardStates<SpanConnectorsShardState> states =
        new ShardStates<>(
            new S3ShardStateStore(aws.s3(), settings.states().bucket(), dynamo, settings.states().fenceTable(), "span-metrics"),
            new SpanConnectorsShardStateCodec());
    return new SpanConnectorsConsumer(
        settings.spanMetrics(),
        settings.serviceGraph(),
        states,
        lineage,
        settings.dedup(),
        settings.seriesTable().<SeriesTotals>map(table -> new DynamoDbSeriesTotals(dynamo, table)),
        settings.emf().map(emf -> CloudWatchRedMetrics.create(emf.namespace(), emf.spanNameLimit(), new LambdaEnvironment())),
        runtime.exporter(config, telemetry, Feed.SPAN_METRICS_CONNECTORS),
        runtime.failureDestination(),
        telemetry,
        clock);
  }

  @Override
  public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      return KinesisEvents.response(consumer.consume(KinesisEvents.records(event)));
    } finally {
      telemetry.flush();
    }
  }
}
