package io.otelpipeline.core.targets;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Collectors that scrape outside Lambda (a Collector or Prometheus server on ECS or EC2), kept alive
 * by heartbeats. The collectors table's key is {@code id}; {@code expires_at} is its TTL attribute.
 */
public final class CollectorRegistry {
  /** How long a collector stays live after its last heartbeat when it does not say. */
  public static final Duration DEFAULT_HEARTBEAT_TTL = Duration.ofSeconds(90);
  /** Ids of the Lambda scraper shards; external collectors may not take them. */
  public static final String LAMBDA_SHARD_PREFIX = "lambda-";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public CollectorRegistry(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  public static void validateId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidTargetException("collector_id", "'" + id + "' must be 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
    if (id.startsWith(LAMBDA_SHARD_PREFIX)) {
      throw new InvalidTargetException("collector_id", "'" + id + "' starts with '" + LAMBDA_SHARD_PREFIX + "', which names the Lambda scraper shards");
    }
  }

  public void heartbeat(String id, Duration ttl) {
    validateId(id);
    long now = clock.instant().getEpochSecond();
    dynamo.putItem(b -> b.tableName(table).item(Map.of(
        "id", AttributeValue.fromS(id),
        "last_heartbeat", AttributeValue.fromN(Long.toString(now)),
        "expires_at", AttributeValue.fromN(Long.toString(now + Math.max(1, ttl.toSeconds()))))));
  }

  /** The collectors whose last heartbeat has not expired, sorted by id. */
  public List<String> live() {
    List<String> out = new ArrayList<>();
    long now = clock.instant().getEpochSecond();
    for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
      AttributeValue expires = item.get("expires_at");
      if (expires != null && Long.parseLong(expires.n()) > now) {
        out.add(item.get("id").s());
      }
    }
    out.sort(String::compareTo);
    return out;
  }
}
