package io.otelpipeline.ingest;

import io.otelpipeline.core.auth.TokenSource;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.ingest.IngestLimits;
import io.otelpipeline.core.ingest.OtlpReceiver;
import io.otelpipeline.core.ingest.SignalRoutes;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.stream.KinesisShardMapSource;
import io.otelpipeline.core.stream.KinesisStreamWriter;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds the receiver once per execution environment, outside the request path (and before a
 * SnapStart snapshot): the three streams (TRACES_STREAM, METRICS_STREAM, LOGS_STREAM), the record
 * compression (RECORD_COMPRESSION, default zstd), the tokens and the request limits.
 */
final class IngestWiring {
  private IngestWiring() {}

  static OtlpReceiver receiver(FunctionRuntime runtime, Telemetry telemetry, Clock clock) {
    FunctionEnvironment env = runtime.environment();
    AwsClients aws = runtime.aws();
    KinesisClient kinesis = aws.kinesis();
    Map<Signal, String> streams = new EnumMap<>(Signal.class);
    streams.put(Signal.TRACES, env.require("TRACES_STREAM"));
    streams.put(Signal.METRICS, env.require("METRICS_STREAM"));
    streams.put(Signal.LOGS, env.require("LOGS_STREAM"));
    Compression compression = Compression.fromName(env.getOrDefault("RECORD_COMPRESSION", "zstd"));
    SignalRoutes routes = new SignalRoutes(
        streams,
        compression,
        new KinesisShardMapSource(kinesis),
        placements -> new KinesisStreamWriter(kinesis, clock, Sleeper.system(), placements),
        clock);
    return new OtlpReceiver(TokenSource.load(env, aws), IngestLimits.from(env), routes, telemetry);
  }
}
