package io.otelpipeline.targetallocator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.targets.DynamoDbCollectorRegistry;
import io.otelpipeline.core.targets.ScrapeConfigs;
import io.otelpipeline.core.targets.DynamoDbTargetRegistry;
import io.otelpipeline.core.targets.allocation.AllocationLease;
import io.otelpipeline.core.targets.allocation.DynamoDbAllocationLease;
import io.otelpipeline.core.targets.DynamoDbAssignmentStore;
import io.otelpipeline.core.targets.allocation.AllocatorSettings;
import io.otelpipeline.core.targets.allocation.LambdaScraperInvoker;
import io.otelpipeline.core.targets.allocation.TargetAllocator;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs every minute: allocates the targets to scrapers and starts each Lambda scraper shard. */
public final class TargetAllocatorFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Logger LOG = LoggerFactory.getLogger(TargetAllocatorFunction.class);
  private final TargetAllocator allocator;
  private final Telemetry telemetry;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public TargetAllocatorFunction() {
    this(FunctionRuntime.current());
  }

  /** The composition: the registries, the assignment store and the scraper invoker, from the runtime. */
  TargetAllocatorFunction(FunctionRuntime runtime) {
    this(build(runtime), runtime.telemetry("target-allocator"));
  }

  /** Tests: the allocator over their own stores and invoker. */
  TargetAllocatorFunction(TargetAllocator allocator, Telemetry telemetry) {
    this.allocator = allocator;
    this.telemetry = telemetry;
  }

  private static TargetAllocator build(FunctionRuntime runtime) {
    AllocatorSettings settings = AllocatorSettings.from(runtime.environment());
    AwsClients aws = runtime.aws();
    DynamoDbClient dynamo = aws.dynamoDb();
    Clock clock = Clock.systemUTC();
    ScrapeConfigs configs = ScrapeConfigs.from(runtime.pipelineConfig());
    configs.ignored().forEach(i -> LOG.info("target-allocator: ignoring {}", i));
    return new TargetAllocator(
        configs,
        new DynamoDbTargetRegistry(dynamo, settings.tables().targets(), clock),
        new DynamoDbCollectorRegistry(dynamo, settings.tables().collectors(), clock),
        new DynamoDbAssignmentStore(dynamo, settings.tables().scrapeState()),
        settings.strategy(),
        settings.sizing(),
        new LambdaScraperInvoker(aws.lambda(), settings.scraperFunction()),
        new DynamoDbAllocationLease(dynamo, settings.tables().scrapeState(), AllocationLease.DEFAULT_TERM),
        clock);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      TargetAllocator.Run run = allocator.run();
      run.problems().forEach(p -> LOG.warn("target-allocator: {}", p));
      if (!run.allocated()) {
        return Map.of("allocated", false, "problems", run.problems());
      }
      telemetry.gauge(TargetAllocator.TARGETS, run.targets());
      telemetry.gauge(TargetAllocator.LAMBDA_SHARDS, run.lambdaShards());
      telemetry.count(TargetAllocator.TARGETS_MOVED, run.moved());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("allocated", true);
      out.put("assignmentVersion", run.version());
      out.put("targets", run.targets());
      out.put("lambdaShards", run.lambdaShards());
      out.put("externalCollectors", run.externalCollectors());
      out.put("moved", run.moved());
      out.put("problems", run.problems());
      return out;
    } finally {
      telemetry.flush();
    }
  }
}
