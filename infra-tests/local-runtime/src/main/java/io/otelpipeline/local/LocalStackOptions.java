package io.otelpipeline.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How to start a {@link LocalStack}. {@link #defaults()} is hermetic, for tests: free ports, a
 * fresh data folder, nothing taken from the process environment. {@link #fromEnvironment(Map)} is
 * what a user's run gets: the well-known ports, the contract variables of their shell over what
 * the template gives, and the rest of their shell beneath it, so that the pipeline configuration's
 * {@code ${env:VAR}} references see what they exported.
 */
public final class LocalStackOptions {
  /** The OTLP/HTTP port of a user's run, as the Collector's. */
  public static final int OTLP_HTTP_PORT = 4318;
  /** The targets API port of a user's run. */
  public static final int TARGETS_HTTP_PORT = 8080;
  /** The status page's port of a user's run, next to OTLP/HTTP's. */
  public static final int STATUS_HTTP_PORT = 4319;
  /** The variables a user's environment overrides in every function, over what the template gives. */
  public static final List<String> CONTRACT_VARIABLES =
      List.of("INGEST_TOKENS", "PIPELINE_CONFIG", "EXPORT_OTLP_ENDPOINT", "EXPORT_OTLP_HEADERS", "EXPORT_OTLP_AUTH");

  private Path template;
  private Path home;
  private Path dataDirectory;
  private String stackName = "otel-pipeline";
  private String region = "us-east-1";
  private int otlpPort;
  private int targetsPort;
  private Duration statusInterval = Duration.ZERO;
  private int statusPort = -1;
  private boolean schedules = true;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<String, String> shell = new LinkedHashMap<>();
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final Map<String, Integer> shardCounts = new LinkedHashMap<>();
  private final Map<String, Duration> timeouts = new HashMap<>();

  private LocalStackOptions() {}

  /**
   * For tests: the project's template.yaml (or the system property {@code local.template}), free
   * ports, data under {@code <home>/stacks/<random>} where home is the system property
   * {@code local.home} or {@code .local} in the project, no status line.
   */
  public static LocalStackOptions defaults() {
    LocalStackOptions o = new LocalStackOptions();
    o.template = Optional.ofNullable(System.getProperty("local.template")).map(Path::of)
        .orElseGet(() -> ProjectDirectory.find().resolve(ProjectDirectory.TEMPLATE));
    o.home = Optional.ofNullable(System.getProperty("local.home")).map(Path::of)
        .orElseGet(() -> ProjectDirectory.find().resolve(".local"));
    o.dataDirectory = o.home.resolve("stacks").resolve(UUID.randomUUID().toString().substring(0, 8));
    return o;
  }

  /**
   * For a user's run: ports 4318 and 8080 unless {@code OTLP_HTTP_PORT} / {@code TARGETS_HTTP_PORT}
   * say otherwise, data straight under the home folder, the contract variables of the given
   * environment, a status line every 5 seconds and the status page on 4319 ({@code STATUS_HTTP_PORT}).
   * The scraper may reach loopback and private addresses ({@code AllowPrivateTargets}): the targets
   * of a run on one machine are that machine's own exporters.
   */
  public static LocalStackOptions fromEnvironment(Map<String, String> environment) {
    LocalStackOptions o = defaults();
    o.dataDirectory = o.home;
    o.parameters.put("AllowPrivateTargets", "true");
    o.otlpPort = port(environment, "OTLP_HTTP_PORT", OTLP_HTTP_PORT);
    o.targetsPort = port(environment, "TARGETS_HTTP_PORT", TARGETS_HTTP_PORT);
    o.statusInterval = Duration.ofSeconds(5);
    o.statusPort = port(environment, "STATUS_HTTP_PORT", STATUS_HTTP_PORT);
    environment.forEach((name, value) -> {
      // The stack's own AWS clients talk to its emulators with its own region and credentials.
      if (!name.startsWith("AWS_")) {
        o.shell.put(name, value);
      }
    });
    for (String name : CONTRACT_VARIABLES) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        o.env.put(name, value);
      }
    }
    return o;
  }

  /** Sets an environment variable of every function, over what the template gives it. */
  public LocalStackOptions env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** A value for a template parameter, over its Default. */
  public LocalStackOptions parameter(String name, String value) {
    parameters.put(name, value);
    return this;
  }

  /** Creates the stream with this many shards whatever the template says. */
  public LocalStackOptions shardCount(String streamLogicalId, int shards) {
    shardCounts.put(streamLogicalId, shards);
    return this;
  }

  /**
   * Runs the function with this timeout whatever the template says, so that a test of an outage
   * sees many short invocations instead of waiting minutes for a few long ones.
   */
  public LocalStackOptions timeout(String functionLogicalId, Duration timeout) {
    timeouts.put(functionLogicalId, timeout);
    return this;
  }

  /** Runs this template instead of the project's (tests of the local stack itself). */
  public LocalStackOptions template(Path path) {
    template = path;
    return this;
  }

  /** Where kinesis-mock is installed; the data folder moves with it unless set. */
  public LocalStackOptions home(Path path) {
    home = path;
    return this;
  }

  /** Where the debug exporter's output and the failure records go. */
  public LocalStackOptions dataDirectory(Path path) {
    dataDirectory = path;
    return this;
  }

  /** The ingest function's port; 0 takes a free one. */
  public LocalStackOptions otlpPort(int port) {
    otlpPort = port;
    return this;
  }

  /** The targets API's port; 0 takes a free one. */
  public LocalStackOptions targetsPort(int port) {
    targetsPort = port;
    return this;
  }

  /** How often to print the status line; zero prints none. */
  public LocalStackOptions statusInterval(Duration interval) {
    statusInterval = interval;
    return this;
  }

  /** Serves the status page on this port (0 takes a free one); without this call there is none. */
  public LocalStackOptions statusPage(int port) {
    statusPort = port;
    return this;
  }

  /** Whether Schedule events fire on their own; {@link LocalStack#fireSchedule} works either way. */
  public LocalStackOptions schedules(boolean fireOnSchedule) {
    schedules = fireOnSchedule;
    return this;
  }

  public LocalStackOptions stackName(String name) {
    stackName = name;
    return this;
  }

  Path template() {
    return template;
  }

  Path home() {
    return home;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  String stackName() {
    return stackName;
  }

  String region() {
    return region;
  }

  int otlpPort() {
    return otlpPort;
  }

  int targetsPort() {
    return targetsPort;
  }

  Duration statusInterval() {
    return statusInterval;
  }

  int statusPort() {
    return statusPort;
  }

  boolean schedules() {
    return schedules;
  }

  Map<String, String> env() {
    return new HashMap<>(env);
  }

  /** The user's shell, beneath what the template and the stack give every function. */
  Map<String, String> shell() {
    return Map.copyOf(shell);
  }

  Map<String, String> parameters() {
    return Map.copyOf(parameters);
  }

  Map<String, Integer> shardCounts() {
    return Map.copyOf(shardCounts);
  }

  Map<String, Duration> timeouts() {
    return Map.copyOf(timeouts);
  }

  private static int port(Map<String, String> environment, String name, int fallback) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'");
    }
  }
}
