package io.otelpipeline.core.scrape;

import io.otelpipeline.core.targets.ScrapeTarget;
import java.time.Duration;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Series state per target in the scrape state table: item {@code series/<job>/<address>}, one
 * read and one write per scrape, expiring a day after the target was last scraped.
 */
public final class DynamoDbSeriesStore implements SeriesStore {
  /** State of a target not scraped for this long is dropped by the table's TTL. */
  static final Duration RETENTION = Duration.ofDays(1);
  /** Above this the state is not stored (start times then restart at each scrape) rather than fail the write. */
  public static final int MAX_STATE_BYTES = 350_000;

  private final DynamoDbTable<SeriesItem> items;

  public DynamoDbSeriesStore(DynamoDbClient dynamo, String table) {
    this.items = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(table, SeriesItem.SCHEMA);
  }

  @Override
  public SeriesState load(ScrapeTarget target) {
    SeriesItem item = items.getItem(r -> r.key(k -> k.partitionValue(id(target))).consistentRead(true));
    return item == null ? SeriesState.empty() : SeriesState.decode(item.series(), item.scrapedAt());
  }

  @Override
  public boolean save(ScrapeTarget target, SeriesState state, long scrapedAtMillis) {
    byte[] encoded = state.encodeAfterScrape();
    if (encoded.length > MAX_STATE_BYTES) {
      return false;
    }
    items.putItem(new SeriesItem(id(target), encoded, scrapedAtMillis, scrapedAtMillis / 1000 + RETENTION.toSeconds()));
    return true;
  }

  private static String id(ScrapeTarget target) {
    return "series/" + target.key();
  }
}
