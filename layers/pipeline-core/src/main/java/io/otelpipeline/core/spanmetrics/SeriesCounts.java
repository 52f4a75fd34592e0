package io.otelpipeline.core.spanmetrics;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;

/**
 * One span-metrics series' counts: what one stream record adds to it, or its running total since
 * {@code startNanos}. A {@link Kind#CALLS} series holds {@code calls} and, unless the histogram
 * is disabled, the duration histogram ({@code count}, {@code sum}, explicit {@code buckets}); an
 * {@link Kind#EVENTS} series holds its event count in {@code calls}.
 *
 * @param key the series' identity in the store, the same for every shard and invocation
 */
public record SeriesCounts(
    String key,
    Kind kind,
    Resource resource,
    List<KeyValue> attributes,
    long calls,
    long count,
    double sum,
    List<Long> buckets,
    long startNanos) {

  public enum Kind {
    CALLS,
    EVENTS
  }

  public SeriesCounts {
    attributes = List.copyOf(attributes);
    buckets = List.copyOf(buckets);
  }
}
