package io.otelpipeline.core.scrape;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A target's series state in the scrape state table: {@code id} is {@code series/<job>/<address>},
 * {@code series} the encoded state, {@code scraped_at} when it was taken (epoch millis) and
 * {@code expires_at} the table's TTL (epoch seconds).
 */
record SeriesItem(String id, byte[] series, long scrapedAt, long expiresAt) {
  static final TableSchema<SeriesItem> SCHEMA =
      StaticImmutableTableSchema.builder(SeriesItem.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name("id").getter(SeriesItem::id).setter((b, v) -> b.id = v).tags(primaryPartitionKey()))
          .addAttribute(byte[].class, a -> a.name("series").getter(SeriesItem::series).setter((b, v) -> b.series = v))
          .addAttribute(Long.class, a -> a.name("scraped_at").getter(SeriesItem::scrapedAt).setter((b, v) -> b.scrapedAt = v))
          .addAttribute(Long.class, a -> a.name("expires_at").getter(SeriesItem::expiresAt).setter((b, v) -> b.expiresAt = v))
          .build();

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private String id;
    private byte[] series;
    private long scrapedAt;
    private long expiresAt;

    SeriesItem build() {
      return new SeriesItem(id, series, scrapedAt, expiresAt);
    }
  }
}
