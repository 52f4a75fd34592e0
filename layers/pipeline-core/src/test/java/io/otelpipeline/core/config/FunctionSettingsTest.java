package io.otelpipeline.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.ingest.IngestSettings;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.scrape.ScraperSettings;
import io.otelpipeline.core.targets.allocation.AllocatorSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each function's settings: decoded once from its environment, and a bad value refused naming its variable. */
class FunctionSettingsTest {
  private static final Map<String, String> INGEST = Map.of("TRACES_STREAM", "t", "METRICS_STREAM", "m", "LOGS_STREAM", "l");
  private static final Map<String, String> SCRAPER = Map.of("SCRAPE_STATE_TABLE", "state");
  private static final Map<String, String> ALLOCATOR =
      Map.of("TARGETS_TABLE", "targets", "COLLECTORS_TABLE", "collectors", "SCRAPE_STATE_TABLE", "state", "SCRAPER_FUNCTION", "scraper");

  @Test
  void defaultsAndGivenValuesAreDecoded() {
    IngestSettings ingest = IngestSettings.from(env(INGEST, Map.of()));
    assertEquals(Map.of(Signal.TRACES, "t", Signal.METRICS, "m", Signal.LOGS, "l"), ingest.streams());
    assertEquals(Compression.ZSTD, ingest.compression());

    ScraperSettings scraper = ScraperSettings.from(env(SCRAPER, Map.of("SCRAPE_WINDOW", "30s", "ALLOW_PRIVATE_TARGETS", "true")));
    assertEquals(new ScraperSettings("state", ScraperSettings.DEFAULT_CONCURRENCY, true, scraper.maxBytes(), Duration.ofSeconds(30)), scraper);

    AllocatorSettings allocator = AllocatorSettings.from(env(ALLOCATOR, Map.of("MAX_SCRAPER_SHARDS", "8")));
    assertEquals(8, allocator.sizing().max());
    assertEquals("scraper", allocator.scraperFunction());
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refused(IngestSettings::from, INGEST, "RECORD_COMPRESSION", "brotli"),
        refused(IngestSettings::from, INGEST, "LOGS_STREAM", ""),
        refused(ScraperSettings::from, SCRAPER, "SCRAPE_CONCURRENCY", "0"),
        refused(ScraperSettings::from, SCRAPER, "SCRAPE_MAX_BYTES", "lots"),
        refused(ScraperSettings::from, SCRAPER, "SCRAPE_WINDOW", "0s"),
        refused(AllocatorSettings::from, ALLOCATOR, "ALLOCATION_STRATEGY", "round-robin"),
        refused(AllocatorSettings::from, ALLOCATOR, "SCRAPE_BUSY_SHARE", "half"),
        refused(AllocatorSettings::from, ALLOCATOR, "SCRAPE_BUSY_SHARE", "1.5"),
        refused(AllocatorSettings::from, ALLOCATOR, "MAX_SCRAPER_SHARDS", "0"),
        refused(AllocatorSettings::from, ALLOCATOR, "SCRAPER_FUNCTION", ""));
  }

  @ParameterizedTest(name = "{1}={2}")
  @MethodSource("refusals")
  void aBadValueIsRefusedNamingItsVariable(Function<FunctionEnvironment, ?> decode, String variable, String value, Map<String, String> base) {
    ConfigException e = assertThrows(ConfigException.class, () -> decode.apply(env(base, Map.of(variable, value))));
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }

  private static Arguments refused(Function<FunctionEnvironment, ?> decode, Map<String, String> base, String variable, String value) {
    return Arguments.of(decode, variable, value, base);
  }

  private static FunctionEnvironment env(Map<String, String> base, Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(base);
    all.putAll(extra);
    return new FunctionEnvironment(all);
  }
}
