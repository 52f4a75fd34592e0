package io.otelpipeline.tracesampler;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.aws.RemoteConfigSource;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.consume.FailureDestinations;
import io.otelpipeline.core.export.Exporters;
import io.otelpipeline.core.sampling.TraceSampler;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.state.DynamoDbDecisionStore;
import io.otelpipeline.core.sampling.state.DynamoDbTraceBuffer;
import io.otelpipeline.core.stream.KinesisShardLineage;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the sampler from a function's environment: the tail_sampling block of PIPELINE_CONFIG
 * (an invalid one stops the function here, naming the policy and key), the tables named by
 * TRACE_BUFFER_TABLE and TRACE_DECISIONS_TABLE, the traces stream's shard lineage from Kinesis, the
 * shared exporter and failure destination.
 */
final class SamplerWiring {
  private SamplerWiring() {}

  static TraceSampler sampler(FunctionEnvironment env, Telemetry telemetry, Clock clock) {
    return sampler(env, new KinesisShardLineage(new AwsClients(env).kinesis()), telemetry, clock);
  }

  /** Tests: the lineage given, for a stream that needs no Kinesis to know it. */
  static TraceSampler sampler(FunctionEnvironment env, ShardLineage lineage, Telemetry telemetry, Clock clock) {
    AwsClients aws = new AwsClients(env);
    PipelineConfig pipeline = PipelineConfig.load(env, new RemoteConfigSource(aws));
    TailSamplingConfig config = TailSamplingConfig.from(pipeline, env.getBoolean(TailSamplingConfig.RECORD_POLICY_VARIABLE, false));
    config.notes().forEach(note -> System.out.println("trace-sampler: " + note));
    DynamoDbClient dynamo = aws.dynamoDb();
    return TraceSampler.create(
        config,
        new DynamoDbTraceBuffer(dynamo, env.require("TRACE_BUFFER_TABLE")),
        new DynamoDbDecisionStore(dynamo, env.require("TRACE_DECISIONS_TABLE"), config.decisionTtl(), clock),
        lineage,
        Exporters.create(env, pipeline, telemetry, Feed.OTLP_RECEIVER),
        FailureDestinations.create(env),
        telemetry,
        clock);
  }
}
