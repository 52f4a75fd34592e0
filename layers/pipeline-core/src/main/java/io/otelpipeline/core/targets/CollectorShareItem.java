package io.otelpipeline.core.targets;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * One collector's share of the allocation in the scrape state table, item
 * {@code assignment/<collector>}: the assignment {@code version} it belongs to and its
 * {@code targets}, encoded.
 */
record CollectorShareItem(String collector, long version, byte[] targets) {
  private static final String PREFIX = AssignmentHeadItem.ID + "/";

  static final TableSchema<CollectorShareItem> SCHEMA =
      StaticImmutableTableSchema.builder(CollectorShareItem.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name("id").getter(c -> id(c.collector())).setter((b, v) -> b.collector = v.substring(PREFIX.length())).tags(primaryPartitionKey()))
          .addAttribute(Long.class, a -> a.name("version").getter(CollectorShareItem::version).setter((b, v) -> b.version = v))
          .addAttribute(byte[].class, a -> a.name("targets").getter(CollectorShareItem::targets).setter((b, v) -> b.targets = v))
          .build();

  static String id(String collector) {
    return PREFIX + collector;
  }

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private String collector;
    private long version;
    private byte[] targets;

    CollectorShareItem build() {
      return new CollectorShareItem(collector, version, targets);
    }
  }
}
