package io.otelpipeline.local;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.export.DebugOutput;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.FolderRuntime;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The local stack as a function runtime, found by {@link FunctionRuntime#current()} through
 * {@code META-INF/services}. Every function of the template runs in this one JVM, so what a
 * function sees is the {@link FolderRuntime} of the function being started or invoked on this
 * thread (bound by {@link LocalFunction}): the template's environment, its own SDK clients,
 * failures under {@code FAILURE_DIR}, debug output under {@code EXPORT_DEBUG_DIR}, and telemetry
 * adding up in {@link TelemetryTotals} for the status line and page.
 */
public final class LocalRuntime implements FunctionRuntime {
  private static final ThreadLocal<FolderRuntime> BOUND = new ThreadLocal<>();

  /** The runtime one function of the stack sees, over its environment. */
  static FolderRuntime of(Map<String, String> environment) {
    return new FolderRuntime(environment, name -> new LocalTelemetry(name, TelemetryTotals.global()));
  }

  /** Runs {@code action} as the function of {@code runtime}: what it builds or invokes sees that runtime. */
  static <T> T as(FolderRuntime runtime, Supplier<T> action) {
    FolderRuntime previous = BOUND.get();
    BOUND.set(runtime);
    try {
      return action.get();
    } finally {
      if (previous == null) {
        BOUND.remove();
      } else {
        BOUND.set(previous);
      }
    }
  }

  private static FolderRuntime bound() {
    FolderRuntime runtime = BOUND.get();
    if (runtime == null) {
      throw new IllegalStateException("the local runtime has no function on this thread: functions are started and invoked through LocalFunction");
    }
    return runtime;
  }

  @Override
  public FunctionEnvironment environment() {
    return bound().environment();
  }

  @Override
  public AwsClients aws() {
    return bound().aws();
  }

  @Override
  public Telemetry telemetry(String functionName) {
    return bound().telemetry(functionName);
  }

  @Override
  public FailureDestination failureStore() {
    return bound().failureStore();
  }

  @Override
  public DebugOutput debugOutput() {
    return bound().debugOutput();
  }
}
