package io.otelpipeline.tracesampler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.lambda.InvocationDeadline;
import io.otelpipeline.core.sampling.TraceSampler;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.Map;

/**
 * Runs every minute on a schedule and decides the parked traces that are due, so that traces
 * are flushed even when no new spans arrive on the stream.
 */
public final class TraceSweepFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final TraceSampler sampler;
  private final Clock clock;

  /** Deployed: the process environment. */
  public TraceSweepFunction() {
    this(System.getenv());
  }

  /** The local stack: the environment the template gives this function. */
  public TraceSweepFunction(Map<String, String> environment) {
    this(new FunctionEnvironment(environment));
  }

  private TraceSweepFunction(FunctionEnvironment env) {
    this(SamplerWiring.sampler(env, Telemetry.forFunction("trace-sweep", env), Clock.systemUTC()), Clock.systemUTC());
  }

  /** Tests: the sampler with its collaborators. */
  TraceSweepFunction(TraceSampler sampler, Clock clock) {
    this.sampler = sampler;
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    return Map.of("tracesHandled", sampler.sweep(InvocationDeadline.of(context, clock)));
  }
}
