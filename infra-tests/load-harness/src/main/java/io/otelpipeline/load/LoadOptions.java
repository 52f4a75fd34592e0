package io.otelpipeline.load;

import io.otelpipeline.core.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load harness's command line. Against the local stack (the default) it starts one with its
 * own OTLP sink as the backend; {@code --endpoint URL --token T} aims at a deployed one instead.
 * {@code --outage 5m} makes that sink answer 503 for five minutes from {@code --outage-at} (after
 * the start of the load, 0s by default), then 200 again: only the local stack's sink is the
 * harness's to switch off. After the load it waits until every accepted span is accounted for,
 * at most {@code --drain-timeout} past the end of the load or of the outage, whichever is later.
 */
record LoadOptions(
    int rate,
    Duration duration,
    Optional<String> endpoint,
    Optional<String> token,
    int shards,
    double errorShare,
    double slowShare,
    Optional<Path> pipelineConfig,
    Map<String, String> parameters,
    boolean experiment,
    List<Integer> experimentRates,
    List<Integer> experimentShards,
    Path output,
    Optional<Duration> outage,
    Duration outageAt,
    Duration drainTimeout) {
  /** Spans per second when {@code --rate} is not given. */
  static final int DEFAULT_RATE = 1000;
  static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
  /** Shards per stream of the local stack when {@code --shards} is not given: the template's default for traces. */
  static final int DEFAULT_SHARDS = 2;
  static final double DEFAULT_ERROR_SHARE = 0.02;
  static final double DEFAULT_SLOW_SHARE = 0.03;
  /** The scaling experiment's offered loads, spans per second. */
  static final List<Integer> DEFAULT_EXPERIMENT_RATES = List.of(500, 1500, 3000);
  static final List<Integer> DEFAULT_EXPERIMENT_SHARDS = List.of(1, 2, 4);
  /** Each step of the experiment, shorter than a single run so that nine fit in a few minutes. */
  static final Duration DEFAULT_EXPERIMENT_STEP = Duration.ofSeconds(10);
  /** How long after the load (or the outage, when later) the harness waits for every accepted span to be accounted for. */
  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(6);

  static final String USAGE = """
      usage: LoadHarness [--rate SPANS_PER_SECOND] [--duration 60s] [--shards N] [--errors 0.02] [--slow 0.03]
                         [--config collector.yaml] [--param TemplateParameter=value ...]
                         [--endpoint https://... --token T]
                         [--outage 5m [--outage-at 0s]] [--drain-timeout 6m]
                         [--experiment [--rates 500,1500,3000] [--shard-counts 1,2,4]] [--output DIR]
        against a local stack it starts itself unless --endpoint is given; --experiment runs every rate
        against every shard count (local only) and writes a table and charts under --output;
        --outage makes the local stack's OTLP sink answer 503 for that long, from --outage-at after the
        load starts (local only); after the load the harness waits up to --drain-timeout past the end of
        the load or the outage for every accepted span to be delivered or accounted for""";

  static LoadOptions parse(String[] args) {
    int rate = DEFAULT_RATE;
    Duration duration = null;
    String endpoint = null;
    String token = null;
    int shards = DEFAULT_SHARDS;
    double errors = DEFAULT_ERROR_SHARE;
    double slow = DEFAULT_SLOW_SHARE;
    Path config = null;
    Map<String, String> parameters = new LinkedHashMap<>();
    boolean experiment = false;
    List<Integer> rates = DEFAULT_EXPERIMENT_RATES;
    List<Integer> shardCounts = DEFAULT_EXPERIMENT_SHARDS;
    Path output = null;
    Duration outage = null;
    Duration outageAt = null;
    Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--experiment")) {
        experiment = true;
        continue;
      }
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (flag) {
        case "--rate" -> rate = positive(flag, value);
        case "--duration" -> duration = duration(flag, value);
        case "--endpoint" -> endpoint = value.replaceAll("/+$", "");
        case "--token" -> token = value;
        case "--shards" -> shards = positive(flag, value);
        case "--errors" -> errors = share(flag, value);
        case "--slow" -> slow = share(flag, value);
        case "--config" -> config = Path.of(value);
        case "--param" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--param takes TemplateParameter=value, not '" + value + "'");
          }
          parameters.put(value.substring(0, eq), value.substring(eq + 1));
        }
        case "--rates" -> rates = list(flag, value);
        case "--shard-counts" -> shardCounts = list(flag, value);
        case "--output" -> output = Path.of(value);
        case "--outage" -> outage = duration(flag, value);
        case "--outage-at" -> outageAt = notNegative(flag, value);
        case "--drain-timeout" -> drainTimeout = duration(flag, value);
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    if (endpoint != null && token == null) {
      throw new IllegalArgumentException("--endpoint needs --token (a bearer token of the deployed stack's INGEST_TOKENS secret)");
    }
    if (experiment && endpoint != null) {
      throw new IllegalArgumentException("--experiment runs against local stacks it starts with 1, 2 and 4 shards; it takes no --endpoint");
    }
    if (outage != null && endpoint != null) {
      throw new IllegalArgumentException("--outage switches off the local stack's own OTLP sink; against --endpoint " + endpoint
          + " the backend is not the harness's to switch off, so --outage is for local runs only");
    }
    if (outage != null && experiment) {
      throw new IllegalArgumentException("--outage is for a single run; the --experiment runs take none");
    }
    if (outageAt != null && outage == null) {
      throw new IllegalArgumentException("--outage-at says when the outage starts; it needs --outage (how long the sink answers 503)");
    }
    if (config != null && !config.toFile().isFile()) {
      throw new IllegalArgumentException("--config " + config + ": no such file");
    }
    if (duration == null) {
      duration = experiment ? DEFAULT_EXPERIMENT_STEP : DEFAULT_DURATION;
    }
    return new LoadOptions(rate, duration, Optional.ofNullable(endpoint), Optional.ofNullable(token), shards, errors, slow,
        Optional.ofNullable(config), Map.copyOf(parameters), experiment, rates, shardCounts,
        output == null ? Path.of("target", "scaling-" + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-')) : output,
        Optional.ofNullable(outage), outageAt == null ? Duration.ZERO : outageAt, drainTimeout);
  }

  private static int positive(String flag, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the flag's name
    }
    throw new IllegalArgumentException(flag + " must be a positive whole number, not '" + value + "'");
  }

  private static double share(String flag, String value) {
    try {
      double d = Double.parseDouble(value.trim());
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below with the flag's name
    }
    throw new IllegalArgumentException(flag + " must be a share between 0 and 1, not '" + value + "'");
  }

  private static Duration duration(String flag, String value) {
    try {
      Duration d = Durations.parse(value.trim(), flag);
      if (!d.isZero() && !d.isNegative()) {
        return d;
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(flag + " must be a duration such as 30s or 2m, not '" + value + "': " + e.getMessage());
    }
    throw new IllegalArgumentException(flag + " must be longer than zero, not '" + value + "'");
  }

  private static Duration notNegative(String flag, String value) {
    Duration d;
    try {
      d = Durations.parse(value.trim(), flag);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(flag + " must be a duration such as 0s, 10s or 2m, not '" + value + "': " + e.getMessage());
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(flag + " must not be negative, not '" + value + "'");
    }
    return d;
  }

  private static List<Integer> list(String flag, String value) {
    List<Integer> out = new ArrayList<>();
    for (String part : value.split(",")) {
      out.add(positive(flag, part));
    }
    return List.copyOf(out);
  }
}
