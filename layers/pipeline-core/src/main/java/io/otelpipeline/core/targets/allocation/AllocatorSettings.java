package io.otelpipeline.core.targets.allocation;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.targets.TargetTables;

/**
 * What the target allocator is told by its environment, decoded and checked once at start: its
 * {@link TargetTables}, the scraper function it starts
 * (SCRAPER_FUNCTION), the allocation strategy (ALLOCATION_STRATEGY) and how it sizes the scraper
 * shards (SCRAPE_BUSY_SHARE, MIN_SCRAPER_SHARDS, MAX_SCRAPER_SHARDS).
 */
public record AllocatorSettings(
    TargetTables tables,
    String scraperFunction,
    AllocationStrategy strategy,
    ShardSizing sizing) {

  public static AllocatorSettings from(FunctionEnvironment env) {
    AllocationStrategy strategy;
    try {
      strategy = AllocationStrategy.named(env.getOrDefault("ALLOCATION_STRATEGY", AllocationStrategy.DEFAULT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("environment variable " + e.getMessage());
    }
    ShardSizing sizing;
    try {
      sizing = new ShardSizing(
          env.getDouble("SCRAPE_BUSY_SHARE", ShardSizing.DEFAULT_SHARE),
          env.getInt("MIN_SCRAPER_SHARDS", 1),
          env.getInt("MAX_SCRAPER_SHARDS", ShardSizing.DEFAULT_MAX));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("environment variables SCRAPE_BUSY_SHARE, MIN_SCRAPER_SHARDS and MAX_SCRAPER_SHARDS: " + e.getMessage());
    }
    return new AllocatorSettings(
        TargetTables.from(env),
        env.require("SCRAPER_FUNCTION"),
        strategy,
        sizing);
  }
}
