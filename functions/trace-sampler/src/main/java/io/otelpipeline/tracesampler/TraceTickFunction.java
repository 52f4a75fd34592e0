package io.otelpipeline.tracesampler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.lambda.InvocationDeadline;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.stream.KinesisShardMapSource;
import io.otelpipeline.core.stream.KinesisStreamWriter;
import io.otelpipeline.core.stream.TickWriter;
import java.time.Clock;
import java.util.Map;

/**
 * Runs every minute on a schedule and writes a tick to every shard of the traces stream
 * (TRACES_STREAM), so that a shard without traffic still moves on in time and its consumers decide
 * the traces that are due.
 */
public final class TraceTickFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final TickWriter ticks;
  private final String stream;
  private final Clock clock;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public TraceTickFunction() {
    this(FunctionRuntime.current());
  }

  private TraceTickFunction(FunctionRuntime runtime) {
    this(ticks(runtime.aws()), runtime.environment().require("TRACES_STREAM"), Clock.systemUTC());
  }

  /** Tests: the writer with its collaborators. */
  TraceTickFunction(TickWriter ticks, String stream, Clock clock) {
    this.ticks = ticks;
    this.stream = stream;
    this.clock = clock;
  }

  private static TickWriter ticks(AwsClients aws) {
    return new TickWriter(new KinesisShardMapSource(aws.kinesis()), new KinesisStreamWriter(aws.kinesis()));
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      return Map.of("shardsTicked", ticks.tick(stream, InvocationDeadline.of(context, clock)));
    }
  }
}
