package io.otelpipeline.core.targets;

import io.otelpipeline.core.config.FunctionEnvironment;

/**
 * The tables the targets API, the allocator and the scrapers share, named by the environment:
 * registered targets (TARGETS_TABLE), collectors' heartbeats (COLLECTORS_TABLE) and the
 * assignments and series state (SCRAPE_STATE_TABLE).
 */
public record TargetTables(String targets, String collectors, String scrapeState) {
  public static TargetTables from(FunctionEnvironment env) {
    return new TargetTables(env.require("TARGETS_TABLE"), env.require("COLLECTORS_TABLE"), env.require("SCRAPE_STATE_TABLE"));
  }
}
