package io.otelpipeline.core.spans;

import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Instant;
import java.util.List;

/**
 * One connector's part in a batch of a shard's records: fed by the batch's {@link SpanPass}, as the
 * Collector's spanmetrics and servicegraph connectors are both fed by one traces pipeline, then
 * asked for the metrics it made. Opened for one invocation on the shard's state as loaded.
 *
 * <p>In this order: {@link #advance} and {@link #accept} during the pass, {@link #metrics} once
 * after it, {@link #exported} once those metrics were exported or refused for good, and
 * {@link #saved} once the shard's state is saved with the batch in it. A batch whose export is to
 * be retried, or whose save lost to another invocation's, is dropped before the last two: its
 * retry opens a new one on the state saved before.
 */
public interface ConnectorBatch {
  /** When a batch's metrics start (its earliest record's arrival) and end (when they are made). */
  record Window(Instant start, Instant end) {
    public Window {
      start = start.isAfter(end) ? end : start;
    }

    public long startNanos() {
      return nanos(start);
    }

    public long endNanos() {
      return nanos(end);
    }

    private static long nanos(Instant t) {
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
  }

  /** Metrics for the pipelines that receive from the connector, and how many data points they hold. */
  record Metrics(List<ResourceMetrics> resourceMetrics, int dataPoints) {
    public static final Metrics NONE = new Metrics(List.of(), 0);

    public Metrics {
      resourceMetrics = List.copyOf(resourceMetrics);
    }
  }

  /** The shard's stream time reached {@code streamTime}: called for each record, ticks included, before its spans. */
  default void advance(Instant streamTime) {}

  /** A span the pass counts: its trace is the shard's, and the shard has not seen it before. */
  void accept(ShardSpan span);

  /** What the batch made, over {@code window}. */
  default Metrics metrics(Window window) {
    return Metrics.NONE;
  }

  /** The batch's metrics were exported, or refused for good: what must follow the export is written now. */
  default void exported() {}

  /** The shard's state was saved with the batch in it: what the batch counted goes to the function's telemetry, once. */
  default void saved(Telemetry telemetry) {}
}
