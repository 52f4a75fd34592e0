package io.otelpipeline.forwarder;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.forward.RecordForwarder;
import io.otelpipeline.core.lambda.InvocationDeadline;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.lambda.KinesisEvents;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;

/** Consumes the metrics and logs streams and forwards their records to the backend. */
public final class ForwarderFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  private final RecordForwarder forwarder;
  private final Telemetry telemetry;
  private final Clock clock;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public ForwarderFunction() {
    this(FunctionRuntime.current());
  }

  /** The composition: the pipeline's exporters and the failure destination, from the runtime. */
  ForwarderFunction(FunctionRuntime runtime) {
    this(runtime, runtime.telemetry("forwarder"));
  }

  private ForwarderFunction(FunctionRuntime runtime, Telemetry telemetry) {
    this(
        new RecordForwarder(runtime.exporter(runtime.pipelineConfig(), telemetry, Feed.OTLP_RECEIVER), runtime.failureDestination(), telemetry),
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
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      return KinesisEvents.response(forwarder.forward(KinesisEvents.records(event), InvocationDeadline.of(context, clock)));
    } finally {
      telemetry.flush();
    }
  }
}
