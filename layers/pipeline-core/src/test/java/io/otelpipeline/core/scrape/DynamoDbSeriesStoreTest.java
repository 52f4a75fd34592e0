package io.otelpipeline.core.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.targets.ScrapeTarget;
import io.otelpipeline.core.targets.TargetSource;
import io.otelpipeline.core.testing.LocalDynamoDbTables;
import io.otelpipeline.core.testing.TableSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Series state per target in the scrape state table, as deployed tables hold it. */
class DynamoDbSeriesStoreTest {
  static final String TABLE = "scrape-state";
  static final ScrapeTarget TARGET = ScrapeTarget.of("node", "n-1:9100", Map.of(), Duration.ofSeconds(30), TargetSource.CONFIG);
  @RegisterExtension static final LocalDynamoDbTables dynamo = new LocalDynamoDbTables(TableSpec.byId(TABLE));

  SeriesStore store() {
    return new DynamoDbSeriesStore(dynamo.client(), TABLE);
  }

  @Test
  void aTargetsStateIsOneItemThatExpiresADayAfterItsLastScrape() {
    assertEquals(0, store().load(TARGET).lastScrapeMillis(), "never scraped");
    SeriesState state = SeriesState.empty();
    state.startMillis(42, 10, 1_000);
    long scrapedAt = 1_714_557_600_123L;
    assertTrue(store().save(TARGET, state, scrapedAt));

    Map<String, AttributeValue> item =
        dynamo.client().getItem(b -> b.tableName(TABLE).key(Map.of("id", AttributeValue.fromS("series/node/n-1:9100")))).item();
    assertEquals(List.of("expires_at", "id", "scraped_at", "series"), item.keySet().stream().sorted().toList());
    assertEquals(AttributeValue.fromN(Long.toString(scrapedAt)), item.get("scraped_at"));
    assertEquals(AttributeValue.fromN(Long.toString(scrapedAt / 1000 + 86_400)), item.get("expires_at"));

    SeriesState loaded = store().load(TARGET);
    assertEquals(scrapedAt, loaded.lastScrapeMillis());
    assertEquals(1_000, loaded.startMillis(42, 11, 2_000), "the series keeps its start");
  }

  @Test
  void aStateTooLargeForAnItemIsNotStored() {
    SeriesState state = SeriesState.empty();
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      state.created(random.nextLong(), random.nextLong(), random.nextDouble());
    }
    assertFalse(store().save(TARGET, state, 1_714_557_600_123L));
    assertEquals(0, dynamo.count(TABLE));
  }
}
