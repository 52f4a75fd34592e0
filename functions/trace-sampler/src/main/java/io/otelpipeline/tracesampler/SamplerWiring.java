package io.otelpipeline.tracesampler;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.sampling.TraceSampler;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.shardstate.S3ShardStateStore;
import io.otelpipeline.core.shardstate.ShardStateLocation;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.stream.KinesisShardLineage;
import io.otelpipeline.core.stream.KinesisShardMapSource;
import io.otelpipeline.core.stream.KinesisStreamWriter;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.stream.ShardTicks;
import io.otelpipeline.core.stream.TickWriter;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds the sampler from a function's environment: the tail_sampling block of PIPELINE_CONFIG
 * (an invalid one stops the function here, naming the policy and key), the shard states in
 * SHARD_STATE_BUCKET behind the fences of SHARD_STATE_TABLE, the traces stream's lineage and
 * ticks through Kinesis, the shared exporter and failure destination.
 */
final class SamplerWiring {
  private static final Logger LOG = LoggerFactory.getLogger(SamplerWiring.class);
  /** The name the sampler's shard states are kept under, beside other consumers' of the same shards. */
  static final String CONSUMER = "trace-sampler";

  private SamplerWiring() {}

  static TraceSampler sampler(FunctionRuntime runtime, Telemetry telemetry, Clock clock) {
    KinesisClient kinesis = runtime.aws().kinesis();
    return sampler(
        runtime, new KinesisShardLineage(kinesis), new TickWriter(new KinesisShardMapSource(kinesis), new KinesisStreamWriter(kinesis)), telemetry, clock);
  }

  /** Tests: the lineage and ticks given, for a stream that needs no Kinesis. */
  static TraceSampler sampler(FunctionRuntime runtime, ShardLineage lineage, ShardTicks ticks, Telemetry telemetry, Clock clock) {
    FunctionEnvironment env = runtime.environment();
    AwsClients aws = runtime.aws();
    PipelineConfig pipeline = runtime.pipelineConfig();
    TailSamplingConfig config = TailSamplingConfig.from(pipeline, env.getBoolean(TailSamplingConfig.RECORD_POLICY_VARIABLE, false));
    config.notes().forEach(note -> LOG.info("trace-sampler: {}", note));
    ShardStateLocation states = ShardStateLocation.from(env);
    S3ShardStateStore store = new S3ShardStateStore(aws.s3(), states.bucket(), aws.dynamoDb(), states.fenceTable(), CONSUMER);
    return TraceSampler.create(
        config,
        new ShardStates<>(store, TraceSampler.stateCodec()),
        lineage,
        ticks,
        runtime.exporter(pipeline, telemetry, Feed.OTLP_RECEIVER),
        runtime.failureDestination(),
        telemetry,
        clock);
  }
}
