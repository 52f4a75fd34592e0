package io.otelpipeline.forwarder;

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
import io.otelpipeline.core.forward.RecordForwarder;
import io.otelpipeline.core.lambda.InvocationDeadline;
import io.otelpipeline.core.lambda.KinesisEvents;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.Map;

/** Consumes the metrics and logs streams and forwards their records to the backend. */
public final class ForwarderFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  private final RecordForwarder forwarder;
  private final Telemetry telemetry;
  private final Clock clock;

  /** Deployed: the process environment. */
  public ForwarderFunction() {
    this(System.getenv());
  }

  /** The local stack: the environment the template gives this function. */
  public ForwarderFunction(Map<String, String> environment) {
    this(new FunctionEnvironment(environment), Telemetry.forFunction("forwarder", new FunctionEnvironment(environment)));
  }

  private ForwarderFunction(FunctionEnvironment env, Telemetry telemetry) {
    this(
        new RecordForwarder(
            Exporters.create(env, PipelineConfig.load(env, new RemoteConfigSource(new AwsClients(env))), telemetry, Feed.OTLP_RECEIVER),
            FailureDestinations.create(env),
            telemetry),
        telemetry,
        Clock.systemUTC());
  }

  /** Tests: the collaborators and the clock. */
  ForwarderFunction(RecordForwarder forwarder, Telemetry telemetry, Clock clock) {
    this.forwarder = forwarder;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  @Override
  public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
    try {
      return KinesisEvents.response(forwarder.forward(KinesisEvents.records(event), InvocationDeadline.of(context, clock)));
    } finally {
      telemetry.flush();
    }
  }
}
