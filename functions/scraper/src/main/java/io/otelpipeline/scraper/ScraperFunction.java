package io.otelpipeline.scraper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.lambda.InvocationLogContext;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.runtime.FunctionRuntime;
import io.otelpipeline.core.scrape.AddressPolicy;
import io.otelpipeline.core.scrape.ScraperSettings;
import io.otelpipeline.core.scrape.DynamoDbSeriesStore;
import io.otelpipeline.core.scrape.ShardScrape;
import io.otelpipeline.core.scrape.TargetScraper;
import io.otelpipeline.core.targets.Assignment;
import io.otelpipeline.core.targets.DynamoDbAssignmentStore;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Started by the allocator with {@code {"shard": n, "assignmentVersion": v}}: scrapes that shard's targets. */
public final class ScraperFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Logger LOG = LoggerFactory.getLogger(ScraperFunction.class);
  private final ShardScrape scrape;
  private final Telemetry telemetry;

  /** Built as Lambda builds it: composed from the runtime it runs in. */
  public ScraperFunction() {
    this(FunctionRuntime.current());
  }

  /** The composition: the scrape state table, the scraper and the pipeline's exporters, from the runtime. */
  ScraperFunction(FunctionRuntime runtime) {
    this(runtime, runtime.telemetry("scraper"));
  }

  private ScraperFunction(FunctionRuntime runtime, Telemetry telemetry) {
    this(build(runtime, telemetry), telemetry);
  }

  /** Tests: the shard scrape over their own stores, exporter and clock. */
  ScraperFunction(ShardScrape scrape, Telemetry telemetry) {
    this.scrape = scrape;
    this.telemetry = telemetry;
  }

  private static ShardScrape build(FunctionRuntime runtime, Telemetry telemetry) {
    ScraperSettings settings = ScraperSettings.from(runtime.environment());
    DynamoDbClient dynamo = runtime.aws().dynamoDb();
    ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
      Thread t = new Thread(r, "scrape");
      t.setDaemon(true);
      return t;
    });
    Clock clock = Clock.systemUTC();
    return new ShardScrape(
        new DynamoDbAssignmentStore(dynamo, settings.stateTable()),
        new DynamoDbSeriesStore(dynamo, settings.stateTable()),
        new TargetScraper(TargetScraper.httpClient(), new AddressPolicy(settings.allowPrivateTargets()), settings.maxBytes(), clock),
        runtime.exporter(runtime.pipelineConfig(), telemetry, Feed.PROMETHEUS_RECEIVER),
        pool,
        telemetry,
        clock,
        Sleeper.system(),
        settings.window());
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Object shard = event.get("shard");
    Object version = event.get("assignmentVersion");
    if (!(shard instanceof Number) || !(version instanceof Number)) {
      throw new IllegalArgumentException("scraper event must be {\"shard\": <number>, \"assignmentVersion\": <number>}, got " + event);
    }
    try (InvocationLogContext invocation = InvocationLogContext.open(context)) {
      ShardScrape.Outcome o = scrape.run(Assignment.lambdaShard(((Number) shard).intValue()), ((Number) version).longValue());
      o.down().forEach((target, error) -> LOG.warn("scraper: {} down: {}", target, error));
      o.exportFailures().forEach(f -> LOG.warn("scraper: export failed: {}", f));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("shard", o.shard());
      out.put("assignmentVersion", o.version());
      out.put("scrapes", o.scrapes());
      out.put("down", o.down());
      out.put("exportFailures", o.exportFailures());
      out.put("superseded", o.superseded());
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scraper interrupted", e);
    } finally {
      telemetry.flush();
    }
  }
}
