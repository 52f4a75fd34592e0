package io.otelpipeline.core.targets;

import java.time.Duration;
import java.util.List;

/** Collectors that scrape outside Lambda (a Collector or Prometheus server on ECS or EC2), kept alive by heartbeats. */
public interface CollectorRegistry {
  /** How long a collector stays live after its last heartbeat when it does not say. */
  Duration DEFAULT_HEARTBEAT_TTL = Duration.ofSeconds(90);
  /** Ids of the Lambda scraper shards; external collectors may not take them. */
  String LAMBDA_SHARD_PREFIX = "lambda-";

  /**
   * Keeps the collector live for {@code ttl} (at least a second) from now.
   *
   * @throws InvalidTargetException when {@code id} is not one an external collector may take: 1 to
   *     128 letters, digits, '.', '_', ':' or '-', not starting with {@value #LAMBDA_SHARD_PREFIX}
   */
  void heartbeat(String id, Duration ttl);

  /** The collectors whose last heartbeat has not expired, sorted by id. */
  List<String> live();
}
