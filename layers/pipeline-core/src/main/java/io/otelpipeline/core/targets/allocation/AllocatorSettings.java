package io.otelpipeline.core.targets.allocation;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;

/**
 * What the target allocator is told by its environment, decoded and checked once at start: its
 * tables (TARGETS_TABLE, COLLECTORS_TABLE, SCRAPE_STATE_TABLE), the scraper function it starts
 * (SCRAPER_FUNCTION), the allocation strategy (ALLOCATION_STRATEGY) and how it sizes the scraper
 * shards (SCRAPE_BUSY_SHARE, MIN_SCRAPER_SHARDS, MAX_SCRAPER_SHARDS).
 */
public record AllocatorSettings(
    String targetsTable,
    String collectorsTable,
    String scrapeStateTable,
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
        env.require("TARGETS_TABLE"),
        env.require("COLLECTORS_TABLE"),
        env.require("SCRAPE_STATE_TABLE"),
        env.require("SCRAPER_FUNCTION"),
        strategy,
        sizing);
  }
}
