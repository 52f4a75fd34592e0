package io.otelpipeline.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The SAM template read for the local stack: its streams, tables and functions with parameters,
 * Conditions and intrinsics resolved to the local resources. What the local stack cannot honour
 * (an intrinsic it does not resolve, a parameter without a value, an event source type it does not
 * run) fails here, at start, naming the resource and property.
 */
public final class SamTemplate {
  private static final Set<String> KINESIS_PROPERTIES =
      Set.of(
          "Stream", "StartingPosition", "StartingPositionTimestamp", "BatchSize", "MaximumBatchingWindowInSeconds",
          "ParallelizationFactor", "BisectBatchOnFunctionError", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds",
          "FunctionResponseTypes", "DestinationConfig", "Enabled", "KmsKeyArn", "MetricsConfig");
  private static final Set<String> SCHEDULE_PROPERTIES = Set.of("Schedule", "Input", "Enabled", "State", "Name", "Description");
  /** Resource types that would need a runtime the local stack does not have. */
  private static final Set<String> NOT_RUN_LOCALLY =
      Set.of("AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping", "AWS::Events::Rule", "AWS::Scheduler::Schedule");

  private final Path path;
  private final LocalNames names;
  private final List<StreamSpec> streams = new ArrayList<>();
  private final List<TableSpec> tables = new ArrayList<>();
  private final List<String> buckets = new ArrayList<>();
  private final List<FunctionSpec> functions = new ArrayList<>();

  private SamTemplate(Path path, LocalNames names) {
    this.path = path;
    this.names = names;
  }

  /** Reads and resolves a template; parameters without a Default must be given in {@code parameterValues}. */
  public static SamTemplate load(Path path, Map<String, String> parameterValues, String stackName, String region) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TemplateException("cannot read the template " + path + ": " + e.getMessage());
    }
    return parse(path, CfnYaml.parse(path.toString(), text), parameterValues, stackName, region);
  }

  static SamTemplate parse(Path path, Map<String, Object> root, Map<String, String> parameterValues, String stackName, String region) {
    Map<String, Object> resources = section(root, "Resources");
    if (resources.isEmpty()) {
      throw new TemplateException(path + ": the template declares no Resources");
    }
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, Object> explicit = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : resources.entrySet()) {
      Map<String, Object> resource = map(e.getValue(), "Resources." + e.getKey());
      String type = String.valueOf(resource.get("Type"));
      types.put(e.getKey(), type);
      Object properties = resource.get("Properties");
      if (type.equals("AWS::Serverless::Function")) {
        // what SAM generates for a function, under the names SAM gives them
        types.put(e.getKey() + "Role", "AWS::IAM::Role");
        types.put(e.getKey() + "Url", "AWS::Lambda::Url");
        if (properties instanceof Map<?, ?> p && p.get("AutoPublishAlias") instanceof String alias) {
          types.put(e.getKey() + "Alias" + alias, "AWS::Lambda::Alias");
        }
      }
      // a permission's FunctionName names the function it is on, not the permission
      if (properties instanceof Map<?, ?> p && !type.equals("AWS::Lambda::Permission")) {
        for (String nameProperty : List.of("StreamName", "TableName", "BucketName", "FunctionName", "QueueName")) {
          if (p.containsKey(nameProperty)) {
            explicit.put(e.getKey(), p.get(nameProperty));
          }
        }
      }
    }
    Map<String, Object> parameters = parameters(section(root, "Parameters"), parameterValues);
    Map<String, String> explicitNames = new LinkedHashMap<>();
    LocalNames names = new LocalNames(stackName, region, LocalNames.ACCOUNT, types, explicitNames);
    Intrinsics intrinsics = new Intrinsics(parameters, section(root, "Conditions"), section(root, "Mappings"), names);
    explicit.forEach((id, v) -> explicitNames.put(id, String.valueOf(intrinsics.resolve(v, "Resources." + id + ".Properties (name)"))));
    for (String condition : section(root, "Conditions").keySet()) {
      intrinsics.condition(condition, "Conditions." + condition);
    }

    SamTemplate template = new SamTemplate(path, names);
    Map<String, Object> globals = map(section(root, "Globals").getOrDefault("Function", Map.of()), "Globals.Function");
    for (Map.Entry<String, Object> e : resources.entrySet()) {
      String id = e.getKey();
      Map<String, Object> resource = map(e.getValue(), "Resources." + id);
      if (resource.get("Condition") != null && !intrinsics.condition(String.valueOf(resource.get("Condition")), "Resources." + id + ".Condition")) {
        continue;
      }
      String type = types.get(id);
      Map<String, Object> properties = map(resource.getOrDefault("Properties", Map.of()), "Resources." + id + ".Properties");
      String where = "Resources." + id + ".Properties";
      switch (type) {
        case "AWS::Kinesis::Stream" -> template.streams.add(stream(id, properties, intrinsics, names, where));
        case "AWS::DynamoDB::Table" -> template.tables.add(table(id, properties, intrinsics, names, where));
        case "AWS::S3::Bucket" -> template.buckets.add(names.physicalName(id));
        case "AWS::Serverless::Function" -> template.functions.add(function(id, properties, globals, intrinsics, names, where));
        default -> {
          if (NOT_RUN_LOCALLY.contains(type)) {
            throw new TemplateException("Resources." + id + ": " + type + " is not run by the local stack;"
                + " declare functions as AWS::Serverless::Function with Kinesis or Schedule events");
          }
        }
      }
    }
    return template;
  }

  public Path path() {
    return path;
  }

  public List<StreamSpec> streams() {
    return List.copyOf(streams);
  }

  public List<TableSpec> tables() {
    return List.copyOf(tables);
  }

  /** The local names of the template's S3 buckets. */
  public List<String> buckets() {
    return List.copyOf(buckets);
  }

  public List<FunctionSpec> functions() {
    return List.copyOf(functions);
  }

  public Optional<FunctionSpec> function(String logicalId) {
    return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst();
  }

  public Optional<StreamSpec> streamByArn(String arn) {
    return streams.stream().filter(s -> s.arn().equals(arn)).findFirst();
  }

  /** The local name of any resource of the template. */
  public String physicalName(String logicalId) {
    return String.valueOf(names.ref(logicalId, "physicalName(" + logicalId + ")"));
  }

  private static Map<String, Object> parameters(Map<String, Object> declared, Map<String, String> values) {
    for (String given : values.keySet()) {
      if (!declared.containsKey(given)) {
        throw new TemplateException("Parameters." + given + ": given a value but the template declares no such parameter");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : declared.entrySet()) {
      String where = "Parameters." + e.getKey();
      Map<String, Object> p = map(e.getValue(), where);
      Object value = values.containsKey(e.getKey()) ? values.get(e.getKey()) : p.get("Default");
      if (value == null) {
        throw new TemplateException(where + ": no Default and no value given; pass one with LocalStackOptions.parameter(\"" + e.getKey() + "\", value)");
      }
      String text = String.valueOf(value);
      if (p.get("AllowedValues") instanceof List<?> allowed && allowed.stream().map(String::valueOf).noneMatch(text::equals)) {
        throw new TemplateException(where + ": '" + text + "' is not one of AllowedValues " + allowed);
      }
      String type = String.valueOf(p.getOrDefault("Type", "String"));
      out.put(e.getKey(), type.startsWith("List<") || type.equals("CommaDelimitedList") ? List.of(text.split(",", -1)) : text);
    }
    return out;
  }

  private static StreamSpec stream(String id, Map<String, Object> properties, Intrinsics intrinsics, LocalNames names, String where) {
    Object count = intrinsics.resolve(properties.get("ShardCount"), where + ".ShardCount");
    OptionalInt shards = count == null || count == Intrinsics.NO_VALUE ? OptionalInt.empty() : OptionalInt.of(integer(count, where + ".ShardCount"));
    return new StreamSpec(id, names.physicalName(id), names.arn(id, where), shards);
  }

  private static TableSpec table(String id, Map<String, Object> properties, Intrinsics intrinsics, LocalNames names, String where) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Object item : list(intrinsics.resolve(properties.get("AttributeDefinitions"), where + ".AttributeDefinitions"), where + ".AttributeDefinitions")) {
      Map<String, Object> a = map(item, where + ".AttributeDefinitions");
      attributes.put(String.valueOf(a.get("AttributeName")), String.valueOf(a.get("AttributeType")));
    }
    List<TableSpec.Key> keys = keys(intrinsics.resolve(properties.get("KeySchema"), where + ".KeySchema"), where + ".KeySchema");
    Optional<String> ttl = Optional.empty();
    Object ttlSpec = intrinsics.resolve(properties.get("TimeToLiveSpecification"), where + ".TimeToLiveSpecification");
    if (ttlSpec instanceof Map<?, ?> t && Boolean.parseBoolean(String.valueOf(t.get("Enabled")))) {
      ttl = Optional.of(String.valueOf(t.get("AttributeName")));
    }
    return new TableSpec(
        id,
        names.physicalName(id),
        attributes,
        keys,
        indexes(intrinsics.resolve(properties.get("GlobalSecondaryIndexes"), where + ".GlobalSecondaryIndexes"), where + ".GlobalSecondaryIndexes"),
        indexes(intrinsics.resolve(properties.get("LocalSecondaryIndexes"), where + ".LocalSecondaryIndexes"), where + ".LocalSecondaryIndexes"),
        ttl);
  }

  private static List<TableSpec.Key> keys(Object schema, String where) {
    List<TableSpec.Key> keys = new ArrayList<>();
    for (Object item : list(schema, where)) {
      Map<String, Object> k = map(item, where);
      keys.add(new TableSpec.Key(String.valueOf(k.get("AttributeName")), String.valueOf(k.get("KeyType"))));
    }
    if (keys.isEmpty()) {
      throw new TemplateException(where + ": a table needs a KeySchema");
    }
    return keys;
  }

  private static List<TableSpec.Index> indexes(Object declared, String where) {
    List<TableSpec.Index> out = new ArrayList<>();
    if (declared == null) {
      return out;
    }
    for (Object item : list(declared, where)) {
      Map<String, Object> index = map(item, where);
      String name = String.valueOf(index.get("IndexName"));
      Map<String, Object> projection = map(index.getOrDefault("Projection", Map.of()), where + "." + name + ".Projection");
      List<String> nonKey = new ArrayList<>();
      if (projection.get("NonKeyAttributes") instanceof List<?> l) {
        l.forEach(a -> nonKey.add(String.valueOf(a)));
      }
      out.add(new TableSpec.Index(name, keys(index.get("KeySchema"), where + "." + name + ".KeySchema"),
          String.valueOf(projection.getOrDefault("ProjectionType", "ALL")), nonKey));
    }
    return out;
  }

  private static FunctionSpec function(
      String id, Map<String, Object> own, Map<String, Object> globals, Intrinsics intrinsics, LocalNames names, String where) {
    Map<String, Object> properties = new LinkedHashMap<>(globals);
    properties.putAll(own);
    Object runtime = intrinsics.resolve(properties.get("Runtime"), where + ".Runtime");
    if (runtime != null) {
      LambdaRuntimes.check(String.valueOf(runtime), java.time.LocalDate.now(java.time.ZoneOffset.UTC), where + ".Runtime");
    }
    Object handler = intrinsics.resolve(properties.get("Handler"), where + ".Handler");
    if (handler == null) {
      throw new TemplateException(where + ".Handler: a function needs a Handler (class::method)");
    }
    String text = String.valueOf(handler);
    String handlerClass = text.contains("::") ? text.substring(0, text.indexOf("::")) : text;
    String handlerMethod = text.contains("::") ? text.substring(text.indexOf("::") + 2) : "handleRequest";
    Object timeout = intrinsics.resolve(properties.get("Timeout"), where + ".Timeout");
    Duration timeoutDuration = Duration.ofSeconds(timeout == null ? 3 : integer(timeout, where + ".Timeout"));
    Object memory = intrinsics.resolve(properties.get("MemorySize"), where + ".MemorySize");
    int memoryMb = memory == null ? FunctionSpec.DEFAULT_MEMORY_MB : integer(memory, where + ".MemorySize");
    Object architectures = intrinsics.resolve(properties.get("Architectures"), where + ".Architectures");
    String architecture = architectures instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : FunctionSpec.DEFAULT_ARCHITECTURE;

    Map<String, String> environment = new LinkedHashMap<>();
    variables(globals, intrinsics, "Globals.Function.Environment.Variables").forEach(environment::put);
    variables(own, intrinsics, where + ".Environment.Variables").forEach(environment::put);

    Object url = intrinsics.resolve(properties.get("FunctionUrlConfig"), where + ".FunctionUrlConfig");
    List<KinesisSource> kinesis = new ArrayList<>();
    List<ScheduleSource> schedules = new ArrayList<>();
    Map<String, Object> events = map(own.getOrDefault("Events", Map.of()), where + ".Events");
    for (Map.Entry<String, Object> e : events.entrySet()) {
      String at = where + ".Events." + e.getKey();
      Map<String, Object> event = map(e.getValue(), at);
      String type = String.valueOf(event.get("Type"));
      Map<String, Object> eventProperties = map(intrinsics.resolve(event.getOrDefault("Properties", Map.of()), at + ".Properties"), at + ".Properties");
      switch (type) {
        case "Kinesis" -> kinesisSource(e.getKey(), eventProperties, names, at + ".Properties").ifPresent(kinesis::add);
        case "Schedule" -> scheduleSource(e.getKey(), eventProperties, at + ".Properties").ifPresent(schedules::add);
        default -> throw new TemplateException(at + ".Type: events of type " + type + " are not run by the local stack (Kinesis and Schedule are)");
      }
    }
    return new FunctionSpec(id, names.physicalName(id), handlerClass, handlerMethod, timeoutDuration, memoryMb, architecture, environment,
        url instanceof Map<?, ?>, UrlCors.from(url, where + ".FunctionUrlConfig"), kinesis, schedules);
  }

  private static Map<String, String> variables(Map<String, Object> properties, Intrinsics intrinsics, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!(properties.get("Environment") instanceof Map<?, ?> environment) || environment.get("Variables") == null) {
      return out;
    }
    Map<String, Object> variables = map(intrinsics.resolve(environment.get("Variables"), where), where);
    variables.forEach((k, v) -> {
      if (v instanceof Map<?, ?> || v instanceof List<?>) {
        throw new TemplateException(where + "." + k + ": an environment variable must resolve to a string, got " + v);
      }
      out.put(k, v == null ? "" : String.valueOf(v));
    });
    return out;
  }

  private static Optional<KinesisSource> kinesisSource(String name, Map<String, Object> p, LocalNames names, String where) {
    for (String key : p.keySet()) {
      if (!KINESIS_PROPERTIES.contains(key)) {
        throw new TemplateException(where + "." + key + ": not honoured by the local event source mapping");
      }
    }
    if (p.containsKey("Enabled") && !Boolean.parseBoolean(String.valueOf(p.get("Enabled")))) {
      return Optional.empty();
    }
    String streamArn = String.valueOf(p.get("Stream"));
    String streamId = names.types().entrySet().stream()
        .filter(t -> t.getValue().equals("AWS::Kinesis::Stream") && names.arn(t.getKey(), where).equals(streamArn))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new TemplateException(where + ".Stream: " + streamArn + " is not a stream of this template"));
    String position = String.valueOf(p.getOrDefault("StartingPosition", "LATEST"));
    if (!Set.of("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP").contains(position)) {
      throw new TemplateException(where + ".StartingPosition: " + position + " is not TRIM_HORIZON, LATEST or AT_TIMESTAMP");
    }
    Optional<Instant> timestamp = Optional.ofNullable(p.get("StartingPositionTimestamp"))
        .map(t -> Instant.ofEpochMilli((long) (Double.parseDouble(String.valueOf(t)) * 1000)));
    int batchSize = p.containsKey("BatchSize") ? integer(p.get("BatchSize"), where + ".BatchSize") : KinesisSource.DEFAULT_BATCH_SIZE;
    int window = p.containsKey("MaximumBatchingWindowInSeconds") ? integer(p.get("MaximumBatchingWindowInSeconds"), where + ".MaximumBatchingWindowInSeconds") : 0;
    int parallel = p.containsKey("ParallelizationFactor") ? integer(p.get("ParallelizationFactor"), where + ".ParallelizationFactor") : 1;
    if (batchSize < 1 || batchSize > 10_000 || window < 0 || window > 300 || parallel < 1 || parallel > 10) {
      throw new TemplateException(where + ": BatchSize must be 1-10000, MaximumBatchingWindowInSeconds 0-300, ParallelizationFactor 1-10");
    }
    int retries = p.containsKey("MaximumRetryAttempts") ? integer(p.get("MaximumRetryAttempts"), where + ".MaximumRetryAttempts") : -1;
    int age = p.containsKey("MaximumRecordAgeInSeconds") ? integer(p.get("MaximumRecordAgeInSeconds"), where + ".MaximumRecordAgeInSeconds") : -1;
    if (retries < -1 || retries > 10_000) {
      throw new TemplateException(where + ".MaximumRetryAttempts: " + retries + " must be -1 (until the record expires) or 0-10000");
    }
    if (age != -1 && (age < 60 || age > 604_800)) {
      throw new TemplateException(where + ".MaximumRecordAgeInSeconds: " + age + " must be -1 (until the record expires) or 60-604800");
    }
    boolean report = p.get("FunctionResponseTypes") instanceof List<?> types && types.contains("ReportBatchItemFailures");
    Optional<String> onFailure = Optional.empty();
    if (p.get("DestinationConfig") instanceof Map<?, ?> destination && destination.get("OnFailure") instanceof Map<?, ?> failure) {
      onFailure = Optional.of(String.valueOf(failure.get("Destination")));
    }
    return Optional.of(new KinesisSource(
        name,
        streamId,
        streamArn,
        position,
        timestamp,
        batchSize,
        Duration.ofSeconds(window),
        parallel,
        Boolean.parseBoolean(String.valueOf(p.getOrDefault("BisectBatchOnFunctionError", false))),
        retries < 0 ? Optional.empty() : Optional.of(retries),
        age < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(age)),
        report,
        onFailure));
  }

  private static Optional<ScheduleSource> scheduleSource(String name, Map<String, Object> p, String where) {
    for (String key : p.keySet()) {
      if (!SCHEDULE_PROPERTIES.contains(key)) {
        throw new TemplateException(where + "." + key + ": not honoured by the local scheduler");
      }
    }
    boolean enabled = !"false".equalsIgnoreCase(String.valueOf(p.getOrDefault("Enabled", true)))
        && !"DISABLED".equals(String.valueOf(p.getOrDefault("State", "ENABLED")));
    if (!enabled) {
      return Optional.empty();
    }
    if (p.get("Schedule") == null) {
      throw new TemplateException(where + ".Schedule: a Schedule event needs a rate(...) or cron(...) expression");
    }
    ScheduleExpression expression = ScheduleExpression.parse(String.valueOf(p.get("Schedule")), where + ".Schedule");
    return Optional.of(new ScheduleSource(name, expression, Optional.ofNullable(p.get("Input")).map(String::valueOf)));
  }

  private static int integer(Object value, String where) {
    try {
      return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new TemplateException(where + ": expected a whole number, got '" + value + "'");
    }
  }

  private static Map<String, Object> section(Map<String, Object> root, String name) {
    return map(root.getOrDefault(name, Map.of()), name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map)) {
      throw new TemplateException(where + ": expected a mapping, got " + value);
    }
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value, String where) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      throw new TemplateException(where + ": expected a list, got " + value);
    }
    return l;
  }
}
