package io.otelpipeline.core.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.scaling.Recommendation.Action;
import io.otelpipeline.core.scaling.ScalingSettings.Consumer;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Gauge;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.telemetry.Unit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One pass of the scaling advisor: read the signals, advise, write each recommendation as a JSON
 * log line and as metrics, and, when allowed, apply the ones that change capacity.
 */
public final class ScalingRun {
  public static final Gauge METRIC_PROPOSED = Gauge.builder("otelpipeline_scaling_proposed")
      .setUnit(Unit.COUNT)
      .setDescription("What a recommendation proposes: a stream's shard count or a consumer's ParallelizationFactor.")
      .setDimensions("subject", "name", "action")
      .build();
  public static final Counter METRIC_APPLIED = Counter.builder("otelpipeline_scaling_applied")
      .setUnit(Unit.COUNT)
      .setDescription("Recommendations the advisor applied, by action.")
      .setDimensions("action")
      .build();
  /** Each stream's open shards, for the dashboard's use of the shards' write limits whatever the stream mode or its last resize. */
  public static final Gauge METRIC_OPEN_SHARDS = Gauge.builder("otelpipeline_stream_open_shards")
      .setUnit(Unit.COUNT)
      .setDescription("A stream's open shards.")
      .setDimensions("stream")
      .build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScalingSettings settings;
  private final ScalingSignalsReader reader;
  private final ScalingAdvisor advisor;
  private final StreamCapacity streams;
  private final ConsumerConcurrency consumers;
  private final Telemetry telemetry;
  private final java.util.function.Consumer<String> log;

  public ScalingRun(
      ScalingSettings settings, MetricHistory history, StreamCapacity streams, ConsumerConcurrency consumers, Telemetry telemetry,
      java.util.function.Consumer<String> log) {
    this.settings = settings;
    this.reader = new ScalingSignalsReader(settings, history, streams, consumers);
    this.advisor = ScalingAdvisor.create(settings.limits());
    this.streams = streams;
    this.consumers = consumers;
    this.telemetry = telemetry;
    this.log = log;
  }

  /** What one pass decided and did, one entry per recommendation, as written to the log. */
  public List<Map<String, Object>> run(Instant now) {
    Map<String, String> streamArns = byKey(settings.streamArns(), ScalingSettings::streamName);
    Map<String, Consumer> consumerByName = new LinkedHashMap<>();
    settings.consumers().forEach(c -> consumerByName.put(c.function() + " on " + ScalingSettings.streamName(c.streamArn()), c));
    List<Map<String, Object>> out = new ArrayList<>();
    ScalingSnapshot snapshot = reader.read(now);
    for (StreamSignals s : snapshot.streams()) {
      telemetry.gauge(METRIC_OPEN_SHARDS, s.shards(), Map.of("stream", s.stream()));
    }
    for (Recommendation r : advisor.advise(snapshot)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("at", now.toString());
      entry.put("subject", r.subject().name().toLowerCase(java.util.Locale.ROOT));
      entry.put("name", r.name());
      entry.put("action", r.action().name());
      entry.put("current", r.current());
      entry.put("proposed", r.proposed());
      entry.put("reason", r.reason());
      entry.put("applied", false);
      boolean onDemandStream = (r.action() == Action.ADD_SHARDS || r.action() == Action.REMOVE_SHARDS)
          && streams.onDemand(streamArns.get(r.name()));
      if (onDemandStream) {
        entry.put("skipped", "ON_DEMAND stream: Kinesis sizes it and refuses UpdateShardCount");
      } else if (r.changesCapacity() && settings.applyChanges()) {
        try {
          if (r.action() == Action.RAISE_PARALLELIZATION) {
            Consumer c = consumerByName.get(r.name());
            consumers.setParallelizationFactor(c.function(), c.streamArn(), r.proposed());
          } else {
            streams.resize(streamArns.get(r.name()), bounded(r.proposed()));
          }
          entry.put("applied", true);
          telemetry.count(METRIC_APPLIED, 1, Map.of("action", r.action().name()));
        } catch (RuntimeException e) {
          entry.put("error", "cannot apply " + r.action() + " to " + r.name() + ": " + e.getMessage());
        }
      }
      telemetry.gauge(METRIC_PROPOSED, r.proposed(), Map.of("subject", r.subject().name(), "name", r.name(), "action", r.action().name()));
      log.accept(json(entry));
      out.add(entry);
    }
    return out;
  }

  private int bounded(int shards) {
    return Math.max(settings.limits().minShards(), Math.min(settings.limits().maxShards(), shards));
  }

  private static Map<String, String> byKey(List<String> arns, Function<String, String> key) {
    Map<String, String> m = new LinkedHashMap<>();
    arns.forEach(a -> m.put(key.apply(a), a));
    return m;
  }

  private static String json(Map<String, Object> entry) {
    try {
      return JSON.writeValueAsString(entry);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a recommendation as JSON", e);
    }
  }
}
