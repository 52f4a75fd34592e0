package io.otelpipeline.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.otelpipeline.core.testing.FolderRuntime;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A function of the template running in this JVM: its handler class built through its public
 * no-argument constructor, as Lambda builds it, with {@link LocalRuntime} giving it the
 * template's environment; invoked through the template's handler method. Like Lambda, one
 * instance serves one invocation at a time; concurrent invocations get more instances.
 */
final class LocalFunction {
  private final FunctionSpec spec;
  private final Map<String, String> environment;
  private final FolderRuntime runtime;
  private final Constructor<?> constructor;
  private final Method method;
  private final String arn;
  private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong billedMillis = new AtomicLong();

  private LocalFunction(FunctionSpec spec, Map<String, String> environment, Constructor<?> constructor, Method method, String arn) {
    this.spec = spec;
    this.environment = Map.copyOf(environment);
    this.runtime = LocalRuntime.of(this.environment);
    this.constructor = constructor;
    this.method = method;
    this.arn = arn;
  }

  /** Loads the handler class and builds a first instance, so that a function that cannot start stops the stack at start. */
  static LocalFunction create(FunctionSpec spec, Map<String, String> environment, String arn) {
    String where = "Resources." + spec.logicalId() + ".Properties.Handler";
    Class<?> handlerClass;
    try {
      handlerClass = Class.forName(spec.handlerClass());
    } catch (ClassNotFoundException e) {
      throw new TemplateException(where + ": class " + spec.handlerClass() + " is not on the local stack's classpath;"
          + " add the function's module as a dependency of infra-tests/local-runtime and build it (mvn -DskipTests install)");
    }
    Constructor<?> constructor;
    try {
      constructor = handlerClass.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new TemplateException(where + ": " + handlerClass.getName() + " needs a public no-argument constructor, as Lambda requires");
    }
    Method method = Arrays.stream(handlerClass.getMethods())
        .filter(m -> m.getName().equals(spec.handlerMethod()) && !m.isBridge())
        .filter(m -> (m.getParameterCount() == 2 && m.getParameterTypes()[1] == Context.class) || m.getParameterCount() == 1)
        .filter(m -> m.getParameterTypes()[0] != Object.class)
        .findFirst()
        .or(() -> Arrays.stream(handlerClass.getMethods()).filter(m -> m.getName().equals(spec.handlerMethod())).findFirst())
        .orElseThrow(() -> new TemplateException(where + ": " + handlerClass.getName() + " has no public method " + spec.handlerMethod()));
    LocalFunction function = new LocalFunction(spec, environment, constructor, method, arn);
    function.idle.push(function.newInstance());
    return function;
  }

  FunctionSpec spec() {
    return spec;
  }

  Map<String, String> environment() {
    return environment;
  }

  /** The event type the handler method takes. */
  Class<?> eventType() {
    return method.getParameterTypes()[0];
  }

  /** Fails at start when a trigger would hand this function an event its handler does not take. */
  void requireEventType(Class<?> eventClass, String trigger) {
    if (!eventType().isAssignableFrom(eventClass)) {
      throw new TemplateException("Resources." + spec.logicalId() + ": " + trigger + " sends " + eventClass.getSimpleName()
          + " but " + spec.handlerClass() + "::" + spec.handlerMethod() + " takes " + eventType().getSimpleName());
    }
  }

  /** Invokes the handler; what it throws comes back as a {@link FunctionError}, as Lambda reports an error. */
  Object invoke(Object event) {
    Object instance = idle.poll();
    if (instance == null) {
      instance = newInstance();
    }
    long started = System.nanoTime();
    try {
      Object[] args = method.getParameterCount() == 2 ? new Object[] {event, new LocalContext()} : new Object[] {event};
      Object handler = instance;
      return LocalRuntime.as(runtime, () -> invoke(handler, args));
    } catch (InvocationFailed e) {
      throw new FunctionError(spec.logicalId(), e.getCause());
    } finally {
      idle.push(instance);
      invocations.incrementAndGet();
      // Lambda bills each invocation's duration rounded up to the millisecond
      billedMillis.addAndGet((System.nanoTime() - started + 999_999) / 1_000_000);
    }
  }

  /** Invocations so far and their summed billed duration, with what Lambda would bill them by. */
  FunctionActivity activity() {
    return new FunctionActivity(spec.logicalId(), spec.name(), spec.memoryMb(), spec.architecture(), invocations.get(),
        Duration.ofMillis(billedMillis.get()));
  }

  private Object invoke(Object handler, Object[] args) {
    try {
      return method.invoke(handler, args);
    } catch (InvocationTargetException e) {
      throw new InvocationFailed(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(spec.handlerClass() + "::" + spec.handlerMethod() + " is not accessible", e);
    }
  }

  /** What the handler threw, carried out of {@link LocalRuntime#as}. */
  private static final class InvocationFailed extends RuntimeException {
    InvocationFailed(Throwable cause) {
      super(cause);
    }
  }

  private Object newInstance() {
    return LocalRuntime.as(runtime, this::construct);
  }

  private Object construct() {
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new TemplateException("Resources." + spec.logicalId() + ": " + spec.handlerClass() + " failed to start: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new TemplateException("Resources." + spec.logicalId() + ": cannot construct " + spec.handlerClass() + ": " + e);
    }
  }

  /** An invocation that ended with an exception: for Lambda, a function error. */
  static final class FunctionError extends RuntimeException {
    FunctionError(String function, Throwable cause) {
      super(function + ": " + cause, cause);
    }
  }

  private final class LocalContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final long deadline = System.currentTimeMillis() + spec.timeout().toMillis();

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + spec.name();
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return spec.name();
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return arn;
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
      return spec.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.out.println("[" + spec.logicalId() + "] " + message);
        }

        @Override
        public void log(byte[] message) {
          log(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }
}
