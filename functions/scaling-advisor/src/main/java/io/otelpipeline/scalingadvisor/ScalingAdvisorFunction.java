package io.otelpipeline.scalingadvisor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
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

/** Runs every five minutes: one recommendation per stream and consumer, applied within bounds when the stack allows it. */
public final class ScalingAdvisorFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final ScalingRun run;
  private final Telemetry telemetry;
  private final Clock clock;

  /** Deployed: the process environment. */
  public ScalingAdvisorFunction() {
    this(System.getenv());
  }

  /** The local stack: the environment the template gives this function. */
  public ScalingAdvisorFunction(Map<String, String> environment) {
    this(new FunctionEnvironment(environment), Telemetry.forFunction("scaling-advisor", new FunctionEnvironment(environment)));
  }

  private ScalingAdvisorFunction(FunctionEnvironment env, Telemetry telemetry) {
    this(build(env, telemetry), telemetry, Clock.systemUTC());
  }

  /** Tests: the run over their own ports, and the clock. */
  ScalingAdvisorFunction(ScalingRun run, Telemetry telemetry, Clock clock) {
    this.run = run;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  private static ScalingRun build(FunctionEnvironment env, Telemetry telemetry) {
    AwsClients aws = new AwsClients(env);
    return new ScalingRun(
        ScalingSettings.from(env),
        new CloudWatchMetricHistory(aws.cloudWatch()),
        new KinesisStreamCapacity(aws.kinesis()),
        new LambdaConsumerConcurrency(aws.lambda()),
        telemetry,
        System.out::println);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    try {
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
