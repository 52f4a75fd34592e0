package io.otelpipeline.core.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads metric series over a window, one value per period, oldest first, keyed by query id. */
public interface MetricHistory {
  Map<String, MetricSeries> fetch(List<MetricQuery> queries, Instant start, Instant end, Duration period);
}
