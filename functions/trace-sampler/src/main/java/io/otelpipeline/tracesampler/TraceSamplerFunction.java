package io.otelpipeline.tracesampler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.otelpipeline.core.lambda.InvocationDeadline;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.lambda.KinesisEvents;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.sampling.TraceSampler;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;

/** Consumes the traces stream: tail sampling with whole-trace decisions (see {@link TraceSampler}). */
public final class TraceSamplerFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  private final TraceSampler sampler;
  private final Clock clock;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public TraceSamplerFunction() {
    this(FunctionRuntime.current());
  }

  private TraceSamplerFunction(FunctionRuntime runtime) {
    this(SamplerWiring.sampler(runtime, runtime.telemetry("trace-sampler"), Clock.systemUTC()), Clock.systemUTC());
  }

  /** Tests: the sampler with its collaborators. */
  TraceSamplerFunction(TraceSampler sampler, Clock clock) {
    this.sampler = sampler;
    this.clock = clock;
  }

  @Override
  public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      return KinesisEvents.response(sampler.handle(KinesisEvents.records(event), InvocationDeadline.of(context, clock)));
    }
  }
}
