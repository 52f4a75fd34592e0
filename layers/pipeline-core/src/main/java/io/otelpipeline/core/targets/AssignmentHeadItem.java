package io.otelpipeline.core.targets;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * The head of the allocation in the scrape state table, item {@code assignment}: its
 * {@code version}, the number of Lambda scraper {@code shards}, the {@code strategy} and the
 * {@code collectors} that have a share, in order.
 */
record AssignmentHeadItem(long version, int shards, String strategy, List<String> collectors) {
  static final String ID = "assignment";

  static final TableSchema<AssignmentHeadItem> SCHEMA =
      StaticImmutableTableSchema.builder(AssignmentHeadItem.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name("id").getter(h -> ID).setter((b, v) -> {}).tags(primaryPartitionKey()))
          .addAttribute(Long.class, a -> a.name("version").getter(AssignmentHeadItem::version).setter((b, v) -> b.version = v))
          .addAttribute(Integer.class, a -> a.name("shards").getter(AssignmentHeadItem::shards).setter((b, v) -> b.shards = v))
          .addAttribute(String.class, a -> a.name("strategy").getter(AssignmentHeadItem::strategy).setter((b, v) -> b.strategy = v))
          .addAttribute(EnhancedType.listOf(String.class), a -> a.name("collectors").getter(AssignmentHeadItem::collectors).setter((b, v) -> b.collectors = v))
          .build();

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private long version;
    private int shards;
    private String strategy;
    private List<String> collectors;

    AssignmentHeadItem build() {
      return new AssignmentHeadItem(version, shards, strategy, collectors);
    }
  }
}
