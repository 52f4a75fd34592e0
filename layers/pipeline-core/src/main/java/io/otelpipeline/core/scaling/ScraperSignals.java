package io.otelpipeline.core.scaling;

/**
 * The scraper shards' busiest share of their scrape interval per period (scrape time divided by
 * interval), how many shards the allocator runs and how many it may run.
 */
public record ScraperSignals(MetricSeries busyShare, int shards, int maxShards) {}
