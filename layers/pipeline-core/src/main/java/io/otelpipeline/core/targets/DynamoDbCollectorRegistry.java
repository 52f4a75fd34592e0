package io.otelpipeline.core.targets;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The collectors table: key {@code id}, one item per collector, {@code expires_at} its TTL attribute. */
public final class DynamoDbCollectorRegistry implements CollectorRegistry {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final DynamoDbTable<HeartbeatItem> collectors;
  private final Clock clock;

  public DynamoDbCollectorRegistry(DynamoDbClient dynamo, String table, Clock clock) {
    this.collectors = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(table, HeartbeatItem.SCHEMA);
    this.clock = clock;
  }

  private static void validateId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidTargetException("collector_id", "'" + id + "' must be 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
    if (id.startsWith(LAMBDA_SHARD_PREFIX)) {
      throw new InvalidTargetException("collector_id", "'" + id + "' starts with '" + LAMBDA_SHARD_PREFIX + "', which names the Lambda scraper shards");
    }
  }

  @Override
  public void heartbeat(String id, Duration ttl) {
    validateId(id);
    long now = clock.instant().getEpochSecond();
    collectors.putItem(new HeartbeatItem(id, now, now + Math.max(1, ttl.toSeconds())));
  }

  @Override
  public List<String> live() {
    long now = clock.instant().getEpochSecond();
    return collectors.scan(r -> r.consistentRead(true)).items().stream().filter(c -> c.liveAt(now)).map(HeartbeatItem::id).sorted().toList();
  }
}
