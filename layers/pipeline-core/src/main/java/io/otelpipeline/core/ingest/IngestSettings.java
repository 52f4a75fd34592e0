package io.otelpipeline.core.ingest;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the ingest is told by its environment, decoded and checked once at start: each signal's
 * stream (TRACES_STREAM, METRICS_STREAM, LOGS_STREAM), how records are compressed
 * (RECORD_COMPRESSION: none, gzip or zstd, the default) and the request limits ({@link IngestLimits}).
 */
public record IngestSettings(Map<Signal, String> streams, Compression compression, IngestLimits limits) {
  public IngestSettings {
    streams = Map.copyOf(streams);
  }

  public static IngestSettings from(FunctionEnvironment env) {
    Map<Signal, String> streams = new EnumMap<>(Signal.class);
    streams.put(Signal.TRACES, env.require("TRACES_STREAM"));
    streams.put(Signal.METRICS, env.require("METRICS_STREAM"));
    streams.put(Signal.LOGS, env.require("LOGS_STREAM"));
    Compression compression;
    try {
      compression = Compression.fromName(env.getOrDefault("RECORD_COMPRESSION", "zstd"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("environment variable RECORD_COMPRESSION: " + e.getMessage());
    }
    return new IngestSettings(streams, compression, IngestLimits.from(env));
  }
}
