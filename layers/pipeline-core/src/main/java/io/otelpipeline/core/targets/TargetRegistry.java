package io.otelpipeline.core.targets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The targets services register and deregister, and those operators add by hand. A target with a
 * TTL stops counting once it passes; re-registering renews it.
 */
public interface TargetRegistry {
  /** Registers (or renews) a target; with a TTL it expires unless renewed in time. */
  void register(String job, String address, Map<String, String> labels, Optional<Duration> interval, Optional<Duration> ttl);

  /** Removes a target; false when there was none. */
  boolean deregister(String job, String address);

  /** Every unexpired entry; an entry that cannot be read is reported and skipped. */
  List<TargetEntry> entries(Consumer<String> problems);
}
