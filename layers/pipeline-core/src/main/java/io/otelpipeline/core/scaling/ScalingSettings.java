package io.otelpipeline.core.scaling;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What the scaling advisor watches and may change, from its environment: the streams
 * ({@code STREAM_ARNS}), the consumers ({@code CONSUMERS}, entries
 * {@code telemetry-name|function-name|stream-arn|exported-item[|sequential]}), the bounds ({@code MIN_SHARDS},
 * {@code MAX_SHARDS}), whether it applies its recommendations ({@code ALLOW_AUTO_SCALING}), and the
 * window it reads ({@code SCALING_WINDOW} in periods of {@code SCALING_PERIOD}).
 */
public record ScalingSettings(
    String namespace, List<String> streamArns, List<Consumer> consumers, ScalingLimits limits, boolean applyChanges, Duration window, Duration period) {
  /** Three periods of five minutes: the advisor runs every five minutes and wants a trend, not a point. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(5);

  /**
   * A function reading a stream: {@code telemetryName} is the {@code function} dimension of its EMF
   * metrics, {@code item} the exporter's item ({@code spans}, {@code metric_points}, {@code log_records});
   * a {@code sequential} one keeps ParallelizationFactor 1.
   */
  public record Consumer(String telemetryName, String function, String streamArn, String item, boolean sequential) {}

  public ScalingSettings {
    streamArns = List.copyOf(streamArns);
    consumers = List.copyOf(consumers);
  }

  public static ScalingSettings from(FunctionEnvironment env) {
    List<String> streams = split(env.require("STREAM_ARNS"));
    for (String arn : streams) {
      streamName(arn);
    }
    List<Consumer> consumers = split(env.getOrDefault("CONSUMERS", "")).stream().map(ScalingSettings::consumer).toList();
    for (Consumer c : consumers) {
      if (!streams.contains(c.streamArn())) {
        throw new ConfigException("CONSUMERS: " + c.function() + " reads " + c.streamArn() + ", which is not in STREAM_ARNS");
      }
    }
    int min = env.getInt("MIN_SHARDS", 1);
    int max = env.getInt("MAX_SHARDS", 16);
    if (min < 1 || max < min) {
      throw new ConfigException("MIN_SHARDS and MAX_SHARDS must satisfy 1 <= MIN_SHARDS <= MAX_SHARDS, not " + min + " and " + max);
    }
    Duration period = env.getDuration("SCALING_PERIOD", DEFAULT_PERIOD);
    if (period.toSeconds() < 60 || period.toSeconds() % 60 != 0) {
      throw new ConfigException("SCALING_PERIOD must be a whole number of minutes (CloudWatch's period for these metrics), not " + period);
    }
    return new ScalingSettings(
        env.getOrDefault("TELEMETRY_NAMESPACE", "OtelPipeline"), streams, consumers, new ScalingLimits(min, max),
        env.getBoolean("ALLOW_AUTO_SCALING", false), env.getDuration("SCALING_WINDOW", DEFAULT_WINDOW), period);
  }

  /** The stream name of a Kinesis stream ARN ({@code arn:aws:kinesis:region:account:stream/NAME}). */
  public static String streamName(String streamArn) {
    int at = streamArn.indexOf(":stream/");
    if (!streamArn.startsWith("arn:") || at < 0 || at + 8 == streamArn.length()) {
      throw new ConfigException("'" + streamArn + "' is not a Kinesis stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
    }
    return streamArn.substring(at + 8);
  }

  private static Consumer consumer(String entry) {
    String[] p = entry.split("\\|", -1);
    if (p.length < 4 || p.length > 5 || Arrays.stream(p).anyMatch(String::isBlank) || (p.length == 5 && !p[4].trim().equals("sequential"))) {
      throw new ConfigException("CONSUMERS entry '" + entry + "' must be telemetry-name|function-name|stream-arn|exported-item[|sequential]");
    }
    if (!List.of("spans", "metric_points", "log_records").contains(p[3])) {
      throw new ConfigException("CONSUMERS entry '" + entry + "': the exported item is spans, metric_points or log_records, not '" + p[3] + "'");
    }
    return new Consumer(p[0].trim(), p[1].trim(), p[2].trim(), p[3].trim(), p.length == 5);
  }

  private static List<String> split(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
