package io.otelpipeline.scalingadvisor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.scaling.CloudWatchMetricHistory;
import io.otelpipeline.core.scaling.KinesisStreamCapacity;
import io.otelpipeline.core.scaling.LambdaConsumerConcurrency;
import io.otelpipeline.core.scaling.ScalingRun;
import io.otelpipeline.core.scaling.ScalingSettings;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every five minutes: one recommendation per stream and consumer, applied within bounds when the stack allows it. */
public final class ScalingAdvisorFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Logger LOG = LoggerFactory.getLogger(ScalingAdvisorFunction.class);
  private final ScalingRun run;
  private final Telemetry telemetry;
  private final Clock clock;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public ScalingAdvisorFunction() {
    this(FunctionRuntime.current());
  }

  /** The composition: the settings and the CloudWatch, Kinesis and Lambda ports, from the runtime. */
  ScalingAdvisorFunction(FunctionRuntime runtime) {
    this(runtime, runtime.telemetry("scaling-advisor"));
  }

  private ScalingAdvisorFunction(FunctionRuntime runtime, Telemetry telemetry) {
    this(build(runtime, telemetry), telemetry, Clock.systemUTC());
  }

  /** Tests: the run over their own ports, and the clock. */
  ScalingAdvisorFunction(ScalingRun run, Telemetry telemetry, Clock clock) {
    this.run = run;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  private static ScalingRun build(FunctionRuntime runtime, Telemetry telemetry) {
    AwsClients aws = runtime.aws();
    return new ScalingRun(
        ScalingSettings.from(runtime.environment()),
        new CloudWatchMetricHistory(aws.cloudWatch()),
        new KinesisStreamCapacity(aws.kinesis()),
        new LambdaConsumerConcurrency(aws.lambda()),
        telemetry,
        LOG::info);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      List<Map<String, Object>> recommendations = run.run(clock.instant());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("recommendations", recommendations);
      out.put("applied", recommendations.stream().filter(r -> Boolean.TRUE.equals(r.get("applied"))).count());
      return out;
    } finally {
      telemetry.flush();
    }
  }
}
