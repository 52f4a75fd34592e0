package io.otelpipeline.core.testing;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.export.DebugOutput;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * A function runtime off AWS Lambda: an environment given as a map, failures as files under
 * {@code FAILURE_DIR} and debug output as files under {@code EXPORT_DEBUG_DIR} (both under the
 * JVM's temporary folder when not set), telemetry where the caller says. The local stack runs
 * every function on one of these, and handler tests compose functions with it.
 */
public final class FolderRuntime implements FunctionRuntime {
  private final FunctionEnvironment environment;
  private final AwsClients aws;
  private final Function<String, Telemetry> telemetry;

  public FolderRuntime(Map<String, String> environment, Function<String, Telemetry> telemetry) {
    this.environment = new FunctionEnvironment(environment);
    this.aws = new AwsClients(this.environment);
    this.telemetry = telemetry;
  }

  /** With telemetry that goes nowhere. */
  public FolderRuntime(Map<String, String> environment) {
    this(environment, name -> Telemetry.noop());
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
    return telemetry.apply(functionName);
  }

  @Override
  public FailureDestination failureStore() {
    return new FolderFailureDestination(folder("FAILURE_DIR", "otel-pipeline-failures"));
  }

  @Override
  public DebugOutput debugOutput() {
    return new FolderDebugOutput(folder("EXPORT_DEBUG_DIR", "otel-pipeline-export"));
  }

  private Path folder(String variable, String underTemp) {
    return environment.get(variable).map(Path::of).orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), underTemp));
  }
}
