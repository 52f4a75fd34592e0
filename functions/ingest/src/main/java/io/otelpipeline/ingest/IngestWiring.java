package io.otelpipeline.ingest;

import io.otelpipeline.core.auth.TokenSource;
import io.otelpipeline.core.ingest.IngestSettings;
import io.otelpipeline.core.ingest.OtlpReceiver;
import io.otelpipeline.core.ingest.SignalRoutes;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.stream.KinesisShardMapSource;
import io.otelpipeline.core.stream.KinesisStreamWriter;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds the receiver once per execution environment, outside the request path (and before a
 * SnapStart snapshot): the streams, compression and limits of {@link IngestSettings}, and the tokens.
 */
final class IngestWiring {
  private IngestWiring() {}

  static OtlpReceiver receiver(FunctionRuntime runtime, Telemetry telemetry, Clock clock) {
    IngestSettings settings = IngestSettings.from(runtime.environment());
    KinesisClient kinesis = runtime.aws().kinesis();
    SignalRoutes routes = new SignalRoutes(
        settings.streams(),
        settings.compression(),
        new KinesisShardMapSource(kinesis),
        placements -> new KinesisStreamWriter(kinesis, clock, Sleeper.system(), placements),
        clock);
    return new OtlpReceiver(TokenSource.load(runtime.environment(), runtime.aws()), settings.limits(), routes, telemetry);
  }
}
