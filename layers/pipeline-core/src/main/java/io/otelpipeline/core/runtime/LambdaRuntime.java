package io.otelpipeline.core.runtime;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.FailureDestinations;
import io.otelpipeline.core.export.DebugOutput;
import io.otelpipeline.core.telemetry.EmfTelemetry;
import io.otelpipeline.core.telemetry.Telemetry;

/**
 * AWS Lambda: the process environment, telemetry as CloudWatch Embedded Metric Format in the
 * function's log ({@code TELEMETRY_NAMESPACE}, default OtelPipeline), failures in the S3 bucket
 * {@code FAILURE_BUCKET}, the debug exporter's lines in the function's log. One per process, so
 * the SDK clients are built once per execution environment.
 */
public final class LambdaRuntime implements FunctionRuntime {
  private static final class Process {
    static final LambdaRuntime RUNTIME = new LambdaRuntime(FunctionEnvironment.system());
  }

  private final FunctionEnvironment environment;
  private final AwsClients aws;

  /** A runtime over {@code environment}: the process's in Lambda ({@link #process()}). */
  public LambdaRuntime(FunctionEnvironment environment) {
    this.environment = environment;
    this.aws = new AwsClients(environment);
  }

  /** The runtime of this process, over its environment. */
  public static LambdaRuntime process() {
    return Process.RUNTIME;
  }

  @Override
  public FunctionEnvironment environment() {
    return environment;
  }

  @Override
  public AwsClients aws() {
    return aws;
  }

  @Override
  public Telemetry telemetry(String functionName) {
    return new EmfTelemetry(environment.getOrDefault("TELEMETRY_NAMESPACE", "OtelPipeline"), functionName);
  }

  @Override
  public FailureDestination failureStore() {
    return FailureDestinations.bucket(aws.s3(), environment.require("FAILURE_BUCKET"));
  }

  @Override
  public DebugOutput debugOutput() {
    return DebugOutput.log(System.out);
  }
}
