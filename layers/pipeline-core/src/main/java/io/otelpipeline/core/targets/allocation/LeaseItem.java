package io.otelpipeline.core.targets.allocation;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * The allocator's lease in the scrape state table: {@code id} {@code lease/allocator}, its
 * {@code holder}, {@code until} when its term ends (epoch millis) and {@code expires_at}, the
 * table's TTL (epoch seconds).
 */
record LeaseItem(String id, String holder, long until, long expiresAt) {
  static final String ID = "lease/allocator";

  static final TableSchema<LeaseItem> SCHEMA =
      StaticImmutableTableSchema.builder(LeaseItem.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name("id").getter(LeaseItem::id).setter((b, v) -> b.id = v).tags(primaryPartitionKey()))
          .addAttribute(String.class, a -> a.name("holder").getter(LeaseItem::holder).setter((b, v) -> b.holder = v))
          .addAttribute(Long.class, a -> a.name("until").getter(LeaseItem::until).setter((b, v) -> b.until = v))
          .addAttribute(Long.class, a -> a.name("expires_at").getter(LeaseItem::expiresAt).setter((b, v) -> b.expiresAt = v))
          .build();

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private String id;
    private String holder;
    private long until;
    private long expiresAt;

    LeaseItem build() {
      return new LeaseItem(id, holder, until, expiresAt);
    }
  }
}
