package io.otelpipeline.local;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.local.status.StatusPage;
import io.otelpipeline.local.status.StatusSnapshot;
import io.otelpipeline.core.testing.LocalS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The template on one machine: kinesis-mock with every stream, DynamoDB Local with every table,
 * and every function in this JVM, behind a Function URL front, an event source mapping or a
 * schedule, each with the environment the template gives it.
 */
public final class LocalStack implements AutoCloseable {
  /** The logical id of the OTLP/HTTP ingest function. */
  public static final String INGEST_FUNCTION = "IngestFunction";
  /** The logical id of the targets API function. */
  public static final String TARGETS_FUNCTION = "TargetsApiFunction";

  private static final Duration STREAM_READY_TIMEOUT = Duration.ofSeconds(30);

  private final LocalStackOptions options;
  private final SamTemplate template;
  private final Clock clock = Clock.systemUTC();
  private final AtomicLong invocations = new AtomicLong();
  private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
  private final Map<String, FunctionUrlFront> fronts = new LinkedHashMap<>();
  private final List<EventSourceMapping> mappings = new ArrayList<>();
  private final List<ScheduleRunner> schedules = new ArrayList<>();
  private final String ingestTokens;
  private final Thread shutdownHook = new Thread(this::stop, "local-stack-shutdown");
  private LambdaApi lambdaApi;
  private KinesisMock kinesisMock;
  private DynamoDbLocal dynamoDbLocal;
  private LocalS3 s3;
  private KinesisClient kinesis;
  private DynamoDbClient dynamoDb;
  private ScheduledExecutorService timers;
  private Map<Series, Double> telemetryAtStart = Map.of();
  private StatusPage statusPage;
  private boolean closed;

  private LocalStack(LocalStackOptions options, SamTemplate template) {
    this.options = options;
    this.template = template;
    this.ingestTokens = Optional.ofNullable(options.env().get("INGEST_TOKENS")).filter(t -> !t.isBlank()).orElseGet(LocalStack::randomToken);
  }

  /** Starts everything the template declares; returns when ingest answers. Fails, having stopped what it started, when anything cannot start. */
  public static LocalStack start(LocalStackOptions options) {
    SamTemplate template = SamTemplate.load(options.template(), options.parameters(), options.stackName(), options.region());
    for (String stream : options.shardCounts().keySet()) {
      if (template.streams().stream().noneMatch(s -> s.logicalId().equals(stream))) {
        throw new TemplateException("shardCount(" + stream + "): the template declares no AWS::Kinesis::Stream " + stream);
      }
    }
    for (String function : options.timeouts().keySet()) {
      if (template.functions().stream().noneMatch(f -> f.logicalId().equals(function))) {
        throw new TemplateException("timeout(" + function + "): the template declares no function " + function);
      }
    }
    LocalStack stack = new LocalStack(options, template);
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      stack.boot();
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void boot() {
    telemetryAtStart = TelemetryTotals.global().snapshot();
    createDirectories();
    CompletableFuture<KinesisMock> kinesisStart = CompletableFuture.supplyAsync(() -> KinesisMock.start(options.home(), options.region()));
    try {
      s3 = LocalS3.start(ProjectDirectory.find().resolve(ProjectDirectory.LOCAL_RUNTIME).resolve(LocalS3.DEFAULT_JAR));
      dynamoDbLocal = DynamoDbLocal.start();
    } finally {
      try {
        kinesisMock = kinesisStart.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    AwsClients clients = new AwsClients(new FunctionEnvironment(awsEnvironment()));
    kinesis = clients.kinesis();
    dynamoDb = clients.dynamoDb();
    createStreams();
    createTables();
    template.buckets().forEach(bucket -> s3.create(bucket));
    lambdaApi = LambdaApi.start(this::functionByName);
    for (FunctionSpec declared : template.functions()) {
      FunctionSpec spec = declared.withTimeout(options.timeouts().getOrDefault(declared.logicalId(), declared.timeout()));
      functions.put(spec.logicalId(), LocalFunction.create(spec, functionEnvironment(spec), functionArn(spec)));
    }
    timers = Executors.newScheduledThreadPool(2, FunctionUrlFront.daemon("local-stack-timers"));
    for (LocalFunction function : functions.values()) {
      FunctionSpec spec = function.spec();
      if (spec.functionUrl()) {
        int port = switch (spec.logicalId()) {
          case INGEST_FUNCTION -> options.otlpPort();
          case TARGETS_FUNCTION -> options.targetsPort();
          default -> 0;
        };
        fronts.put(spec.logicalId(), FunctionUrlFront.start(function, port));
      }
      for (KinesisSource source : spec.kinesisSources()) {
        function.requireEventType(com.amazonaws.services.lambda.runtime.events.KinesisEvent.class, "its Kinesis event " + source.eventName());
        Optional<Path> destination = source.onFailureDestination()
            .map(d -> failureDirectory().resolve("event-source").resolve(spec.logicalId()).resolve(source.eventName()));
        EventSourceMapping mapping = new EventSourceMapping(function, source, physicalName(source.streamLogicalId()), kinesis,
            new FailureFiles(destination, functionArn(spec), source), options.region(), invocations, clock);
        mappings.add(mapping);
        mapping.start();
      }
      for (ScheduleSource schedule : spec.schedules()) {
        ScheduleRunner runner = new ScheduleRunner(function, schedule, options.region(), options.stackName(), invocations, clock);
        schedules.add(runner);
        if (options.schedules()) {
          runner.start(timers);
        }
      }
    }
    if (!options.statusInterval().isZero()) {
      StatusLine status = new StatusLine(TelemetryTotals.global(), () -> List.copyOf(mappings), this::failedRecords);
      long every = options.statusInterval().toMillis();
      timers.scheduleAtFixedRate(status::printIfChanged, every, every, TimeUnit.MILLISECONDS);
    }
    if (options.statusPort() >= 0) {
      statusPage = StatusPage.start(options.statusPort(), this::status);
    }
  }

  /** The status page's address, when the options asked for one. */
  public Optional<String> statusPageUrl() {
    return Optional.ofNullable(statusPage).map(StatusPage::url);
  }

  /**
   * The status signals now: the functions' telemetry counted since this stack started (the
   * process totals are shared by every stack of the JVM), each consumer's lag, and the records
   * its event source sent to the OnFailure destination.
   */
  public StatusSnapshot status() {
    return StatusSnapshot.of(clock.instant(), TelemetryTotals.global().snapshot(), telemetryAtStart, consumerLags(), failedRecords());
  }

  /** Each event source mapping's distance from its stream's tip. */
  public List<ConsumerLag> consumerLags() {
    List<ConsumerLag> lags = new ArrayList<>();
    for (EventSourceMapping m : mappings) {
      EventSourceMapping.Lag lag = m.lag();
      lags.add(new ConsumerLag(m.function(), m.streamName(), lag.records(), lag.behind()));
    }
    return lags;
  }

  /** The most consecutive retries any batch of the function's event sources has had so far. */
  public int mostRetries(String functionLogicalId) {
    return mappings.stream().filter(m -> m.function().equals(functionLogicalId)).mapToInt(EventSourceMapping::mostRetries).max().orElse(0);
  }

  /**
   * Records kept in a failure destination: the functions' failure files (one {@code .bin} each,
   * under {@link #failureDirectory()}) and what the event sources sent to their OnFailure
   * destinations.
   */
  public long failedRecords() {
    try (Stream<Path> files = Files.list(failureDirectory())) {
      return eventSourceFailures() + files.filter(f -> f.getFileName().toString().endsWith(".bin")).count();
    } catch (NoSuchFileException e) {
      return eventSourceFailures();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the failure folder " + failureDirectory() + ": " + e.getMessage(), e);
    }
  }

  /** Records the event source mappings sent to their OnFailure destinations. */
  public long eventSourceFailures() {
    return mappings.stream().mapToLong(EventSourceMapping::failedRecords).sum();
  }

  /** Every function's invocations and billed duration so far. */
  public List<FunctionActivity> functionActivity() {
    return functions.values().stream().map(LocalFunction::activity).toList();
  }

  /** The ingest function's base URL (append /v1/traces, /v1/metrics, /v1/logs). */
  public String otlpEndpoint() {
    return functionUrl(INGEST_FUNCTION);
  }

  /** The targets API's base URL. */
  public String targetsEndpoint() {
    return functionUrl(TARGETS_FUNCTION);
  }

  /** The local Function URL of any function with a FunctionUrlConfig. */
  public String functionUrl(String logicalId) {
    FunctionUrlFront front = fronts.get(logicalId);
    if (front == null) {
      throw new IllegalStateException(logicalId + " has no Function URL in " + template.path() + " (functions with one: " + fronts.keySet() + ")");
    }
    return front.url();
  }

  /**
   * A bearer token ingest accepts: the first of {@code INGEST_TOKENS} when given, otherwise one
   * made up at start (auth stays on locally too).
   */
  public String ingestToken() {
    return ingestTokens.split(",")[0].trim();
  }

  public KinesisClient kinesis() {
    return kinesis;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  /** An S3 client of the stack's S3Proxy, where the template's buckets are. */
  public S3Client s3() {
    return s3.client();
  }

  /** The local name of a resource of the template: a stream's or table's name, a bucket's... */
  public String physicalName(String logicalId) {
    return template.physicalName(logicalId);
  }

  /** Where functions write what they cannot handle (FAILURE_DIR), and where event sources' OnFailure records go (under event-source/). */
  public Path failureDirectory() {
    return options.dataDirectory().resolve("failures");
  }

  /** Where the debug exporter writes while no EXPORT_OTLP_ENDPOINT is set. */
  public Path exportDirectory() {
    return options.dataDirectory().resolve("export");
  }

  public SamTemplate template() {
    return template;
  }

  /** The environment a function runs with. */
  public Map<String, String> environment(String functionLogicalId) {
    LocalFunction function = functions.get(functionLogicalId);
    if (function == null) {
      throw new IllegalArgumentException(functionLogicalId + " is not a function of " + template.path() + " (" + functions.keySet() + ")");
    }
    return function.environment();
  }

  /**
   * Fires a function's Schedule events now and waits for them; {@code id} is the function's
   * logical id, or {@code Function.EventName} for one of several. Returns the last result.
   */
  public Object fireSchedule(String id) {
    List<ScheduleRunner> matching = schedules.stream()
        .filter(s -> s.function().equals(id) || (s.function() + "." + s.schedule().eventName()).equals(id))
        .toList();
    if (matching.isEmpty()) {
      throw new IllegalArgumentException(id + " has no Schedule event in " + template.path());
    }
    Object result = null;
    for (ScheduleRunner runner : matching) {
      result = runner.fire();
    }
    return result;
  }

  /**
   * Waits until every event source mapping has handled every record of every shard, open and
   * closed, up to the tip, and no invocation is under way; fails with each consumer's lag when
   * {@code timeout} passes first.
   */
  public void awaitDrained(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long since = System.nanoTime();
      long invocationsBefore = invocations.get();
      boolean caughtUp = false;
      while (!caughtUp && System.nanoTime() < deadline) {
        caughtUp = mappings.stream().allMatch(m -> m.caughtUp(shardIds(m.streamName()), since));
        if (!caughtUp) {
          sleep(50);
        }
      }
      if (caughtUp && invocations.get() == invocationsBefore) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        StringBuilder lags = new StringBuilder();
        mappings.forEach(m -> lags.append("\n  ").append(m.function()).append(" <- ").append(m.streamName()).append(": ").append(m.lag()));
        throw new IllegalStateException("the event sources did not drain within " + timeout + ":" + lags);
      }
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is what is stopping us
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    if (timers != null) {
      timers.shutdownNow();
    }
    if (statusPage != null) {
      statusPage.close();
    }
    fronts.values().forEach(FunctionUrlFront::close);
    if (lambdaApi != null) {
      lambdaApi.close();
    }
    mappings.forEach(EventSourceMapping::close);
    if (kinesis != null) {
      kinesis.close();
    }
    if (dynamoDb != null) {
      dynamoDb.close();
    }
    if (kinesisMock != null) {
      kinesisMock.close();
    }
    if (dynamoDbLocal != null) {
      dynamoDbLocal.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private LocalFunction functionByName(String name) {
    for (LocalFunction f : functions.values()) {
      if (name.equals(f.spec().name()) || name.equals(f.spec().logicalId()) || name.equals(functionArn(f.spec()))) {
        return f;
      }
    }
    return null;
  }

  private List<String> shardIds(String streamName) {
    return Shards.list(kinesis, streamName).stream().map(s -> s.shardId()).toList();
  }

  private void createDirectories() {
    try {
      Files.createDirectories(failureDirectory());
      Files.createDirectories(exportDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the local stack's folders under " + options.dataDirectory() + ": " + e.getMessage(), e);
    }
  }

  private void createStreams() {
    for (StreamSpec stream : template.streams()) {
      Integer shards = options.shardCounts().getOrDefault(stream.logicalId(), stream.shardCount().isPresent() ? stream.shardCount().getAsInt() : null);
      if (shards == null) {
        kinesis.createStream(b -> b.streamName(stream.name()).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
      } else {
        kinesis.createStream(b -> b.streamName(stream.name()).shardCount(shards));
      }
    }
    long deadline = System.nanoTime() + STREAM_READY_TIMEOUT.toNanos();
    for (StreamSpec stream : template.streams()) {
      while (kinesis.describeStreamSummary(b -> b.streamName(stream.name())).streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("stream " + stream.name() + " (" + stream.logicalId() + ") did not become ACTIVE within " + STREAM_READY_TIMEOUT);
        }
        sleep(20);
      }
    }
  }

  private void createTables() {
    for (TableSpec table : template.tables()) {
      CreateTableRequest.Builder request = CreateTableRequest.builder()
          .tableName(table.name())
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(table.attributeTypes().entrySet().stream()
              .map(a -> AttributeDefinition.builder().attributeName(a.getKey()).attributeType(a.getValue()).build())
              .toList())
          .keySchema(keys(table.keys()));
      if (!table.globalIndexes().isEmpty()) {
        request.globalSecondaryIndexes(table.globalIndexes().stream()
            .map(i -> GlobalSecondaryIndex.builder().indexName(i.name()).keySchema(keys(i.keys())).projection(projection(i)).build())
            .toList());
      }
      if (!table.localIndexes().isEmpty()) {
        request.localSecondaryIndexes(table.localIndexes().stream()
            .map(i -> LocalSecondaryIndex.builder().indexName(i.name()).keySchema(keys(i.keys())).projection(projection(i)).build())
            .toList());
      }
      dynamoDb.createTable(request.build());
      table.ttlAttribute().ifPresent(attribute ->
          dynamoDb.updateTimeToLive(b -> b.tableName(table.name()).timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true))));
    }
  }

  private static List<KeySchemaElement> keys(List<TableSpec.Key> keys) {
    return keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.attribute()).keyType(k.keyType()).build()).toList();
  }

  private static Projection projection(TableSpec.Index index) {
    Projection.Builder p = Projection.builder().projectionType(index.projectionType());
    if (!index.nonKeyAttributes().isEmpty()) {
      p.nonKeyAttributes(index.nonKeyAttributes());
    }
    return p.build();
  }

  /** Region, fake credentials and the emulators' endpoints, as every client of the stack needs them. */
  private Map<String, String> awsEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", options.region());
    env.put("AWS_DEFAULT_REGION", options.region());
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    env.put("AWS_ENDPOINT_URL_KINESIS", kinesisMock.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbLocal.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.putAll(LocalS3.CLIENT_ENVIRONMENT);
    return env;
  }

  private Map<String, String> functionEnvironment(FunctionSpec spec) {
    Map<String, String> env = new LinkedHashMap<>(options.shell());
    env.putAll(spec.environment());
    env.putAll(awsEnvironment());
    env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaApi.endpoint());
    env.put("FAILURE_DIR", failureDirectory().toString());
    env.put("EXPORT_DEBUG_DIR", exportDirectory().toString());
    env.put("INGEST_TOKENS", ingestTokens);
    env.putAll(options.env());
    return env;
  }

  private String functionArn(FunctionSpec spec) {
    return "arn:aws:lambda:" + options.region() + ":" + LocalNames.ACCOUNT + ":function:" + spec.name();
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
