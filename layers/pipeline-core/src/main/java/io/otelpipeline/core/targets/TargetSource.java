package io.otelpipeline.core.targets;

/** Where a target came from. */
public enum TargetSource {
  /** The {@code scrape_configs} of the {@code prometheus} receiver in the pipeline configuration. */
  CONFIG,
  /** A service that registered itself through the targets API. */
  REGISTERED,
  /** An item written straight into the targets table. */
  TABLE
}
