package io.otelpipeline.core.targets;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A scraper shard's latest report in the scrape state table, item {@code report/<shard>}: the
 * assignment {@code version} it ran, {@code busy_ms} and {@code interval_ms}, its number of
 * {@code targets} and when it reported, {@code at} (epoch millis).
 */
final class ScrapeReportItem {
  private static final String PREFIX = "report/";

  static final TableSchema<ScrapeReport> SCHEMA =
      StaticImmutableTableSchema.builder(ScrapeReport.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name("id").getter(r -> id(r.shard())).setter((b, v) -> b.shard = v.substring(PREFIX.length())).tags(primaryPartitionKey()))
          .addAttribute(Long.class, a -> a.name("version").getter(ScrapeReport::assignmentVersion).setter((b, v) -> b.version = v))
          .addAttribute(Long.class, a -> a.name("busy_ms").getter(r -> r.busy().toMillis()).setter((b, v) -> b.busy = Duration.ofMillis(v)))
          .addAttribute(Long.class, a -> a.name("interval_ms").getter(r -> r.interval().toMillis()).setter((b, v) -> b.interval = Duration.ofMillis(v)))
          .addAttribute(Integer.class, a -> a.name("targets").getter(ScrapeReport::targets).setter((b, v) -> b.targets = v))
          .addAttribute(Long.class, a -> a.name("at").getter(r -> r.at().toEpochMilli()).setter((b, v) -> b.at = Instant.ofEpochMilli(v)))
          .build();

  private ScrapeReportItem() {}

  static String id(String shard) {
    return PREFIX + shard;
  }

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private String shard;
    private long version;
    private Duration busy;
    private Duration interval;
    private int targets;
    private Instant at;

    ScrapeReport build() {
      return new ScrapeReport(shard, version, busy, interval, targets, at);
    }
  }
}
