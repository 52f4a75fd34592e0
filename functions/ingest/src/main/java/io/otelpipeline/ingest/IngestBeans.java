package io.otelpipeline.ingest;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.auth.TokenSource;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.ingest.IngestLimits;
import io.otelpipeline.core.ingest.OtlpReceiver;
import io.otelpipeline.core.ingest.SignalRoutes;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.stream.KinesisShardMapSource;
import io.otelpipeline.core.stream.KinesisStreamWriter;
import io.otelpipeline.core.telemetry.Telemetry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Wires the receiver once per container, outside the request path (and before the SnapStart snapshot). */
@Factory
class IngestBeans {
  @Singleton
  @Requires(missingBeans = FunctionEnvironment.class)
  FunctionEnvironment environment() {
    return FunctionEnvironment.system();
  }

  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Singleton
  Telemetry telemetry(FunctionEnvironment env) {
    return Telemetry.forFunction("ingest", env);
  }

  @Singleton
  @Requires(missingBeans = OtlpReceiver.class)
  OtlpReceiver receiver(FunctionEnvironment env, Telemetry telemetry, Clock clock) {
    AwsClients aws = new AwsClients(env);
    KinesisClient kinesis = aws.kinesis();
    Map<Signal, String> streams = new EnumMap<>(Signal.class);
    streams.put(Signal.TRACES, env.require("TRACES_STREAM"));
    streams.put(Signal.METRICS, env.require("METRICS_STREAM"));
    streams.put(Signal.LOGS, env.require("LOGS_STREAM"));
    Compression compression = Compression.fromName(env.getOrDefault("RECORD_COMPRESSION", "zstd"));
    SignalRoutes[] routes = new SignalRoutes[1];
    KinesisStreamWriter writer = new KinesisStreamWriter(kinesis, clock, Sleeper.system(),
        (stream, record, shard) -> routes[0].placed(stream, record, shard));
    routes[0] = new SignalRoutes(streams, compression, new KinesisShardMapSource(kinesis), writer, clock);
    return new OtlpReceiver(TokenSource.load(env, aws), IngestLimits.from(env), routes[0], telemetry);
  }
}
