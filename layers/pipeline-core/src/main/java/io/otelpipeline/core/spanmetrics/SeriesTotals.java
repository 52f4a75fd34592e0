package io.otelpipeline.core.spanmetrics;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Running totals of span-metrics series, shared by every shard and invocation, for cumulative
 * temporality: one series, one start time, however many consumers add to it.
 */
public interface SeriesTotals {
  /** What one stream record adds to its series. */
  record RecordDeltas(String recordId, List<SeriesCounts> series) {
    public RecordDeltas {
      series = List.copyOf(series);
    }
  }

  /**
   * Adds each record's deltas exactly once: a record added before (a batch Lambda retries, or an
   * attempt whose answer was lost) adds nothing. A series first added now starts at {@code now}.
   */
  void add(List<RecordDeltas> records, Instant now);

  /** The current totals of these series, in the order given; keys never added are left out. */
  List<SeriesCounts> read(Collection<String> keys);
}
