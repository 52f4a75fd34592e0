package io.otelpipeline.tracesampler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.lambda.InvocationDeadline;
import io.otelpipeline.core.lambda.KinesisEvents;
import io.otelpipeline.core.sampling.TraceSampler;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.Map;

/** Consumes the traces stream: tail sampling with whole-trace decisions (see {@link TraceSampler}). */
public final class TraceSamplerFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  private final TraceSampler sampler;
  private final Clock clock;

  /** Deployed: the process environment. */
  public TraceSamplerFunction() {
    this(System.getenv());
  }

  /** The local stack: the environment the template gives this function. */
  public TraceSamplerFunction(Map<String, String> environment) {
    this(new FunctionEnvironment(environment));
  }

  private TraceSamplerFunction(FunctionEnvironment env) {
    this(SamplerWiring.sampler(env, Telemetry.forFunction("trace-sampler", env), Clock.systemUTC()), Clock.systemUTC());
  }

  /** Tests: the sampler with its collaborators. */
  TraceSamplerFunction(TraceSampler sampler, Clock clock) {
    this.sampler = sampler;
    this.clock = clock;
  }

  @Override
  public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
    return KinesisEvents.response(sampler.handle(KinesisEvents.records(event), InvocationDeadline.of(context, clock)));
  }
}
