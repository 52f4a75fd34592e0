package io.otelpipeline.load.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.load.cost.StreamUsage.StreamMode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The cost arithmetic against cases worked out by hand from the shipped price table. */
class CostReportTest {
  private static final PriceTable PRICES = PriceTable.usEast1();
  private static final double CENT_FRACTION = 1e-9;

  static Stream<Arguments> runs() {
    // Provisioned, arm64. Lambda: 200 GB-s x 0.0000133334 = 0.00266668; 2,000 requests = 0.0004.
    // Kinesis: 2 shards x 1 h x 0.015 = 0.03; 10,000 records of 30,000 B = 2 units each, 0.02 M x 0.014 = 0.00028.
    // DynamoDB: 0.5 M WRU x 0.625 = 0.3125; 1 M RRU x 0.125 = 0.125. S3: 2,000 PUT x 0.005 / 1,000 = 0.01;
    // 500 GET x 0.0004 / 1,000 = 0.0002. Total 0.48104668 for 1 M spans.
    // X-Ray: 100,000 traces x $5 / M = 0.5 per million spans; retrieving each once adds 0.05.
    RunUsage provisioned = new RunUsage(
        1_000_000, 100_000,
        List.of(FunctionUsage.of("ingest", Architecture.ARM64, 2_000, 1024, Duration.ofSeconds(200))),
        List.of(StreamUsage.ofRecords("traces", StreamMode.PROVISIONED, 2, Duration.ofHours(1), 2, IntStream.generate(() -> 30_000).limit(10_000))),
        1_000_000, 500_000, 100, 0, 2_000, 500);
    // On demand, x86. Lambda: 512 MB x 100,000 s = 50,000 GB-s x 0.0000166667 = 0.833335; 1 M requests = 0.2.
    // Kinesis: 1 M records of 1,500 B billed as 2,048 B: 2,048,000,000 B = 1.9073486328125 GB in x 0.08
    // = 0.152587890625; read by 2 consumers, 3.814697265625 GB out x 0.04 = 0.152587890625; 0.5 stream-hours
    // x 0.04 = 0.02. Export: 1 GiB x 0.09 = 0.09. Total 1.44851078125 for 2 M spans: 0.724255390625 per million.
    // X-Ray: 250,000 traces x $5 / 2 M spans = 0.625 per million spans; 0.6875 with one retrieval each.
    RunUsage onDemand = new RunUsage(
        2_000_000, 250_000,
        List.of(FunctionUsage.of("trace-sampler", Architecture.X86_64, 1_000_000, 512, Duration.ofSeconds(100_000))),
        List.of(StreamUsage.ofRecords("traces", StreamMode.ON_DEMAND, 0, Duration.ofMinutes(30), 2, IntStream.generate(() -> 1_500).limit(1_000_000))),
        0, 0, 10, 1L << 30, 0, 0);
    return Stream.of(
        Arguments.of("provisioned arm64", provisioned, 0.48104668, 0.48104668, 0.5, 0.55),
        Arguments.of("on-demand x86", onDemand, 1.44851078125, 0.724255390625, 0.625, 0.6875));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void pricesARunAsWorkedOutByHand(String name, RunUsage usage, double total, double perMillion, double xray, double xrayScanned) {
    CostReport report = CostReport.of(PRICES, usage);
    assertEquals(total, report.total(), CENT_FRACTION);
    assertEquals(perMillion, report.perMillionSpans(), CENT_FRACTION);
    assertEquals(xray, report.xrayRecordedPerMillionSpans(), CENT_FRACTION);
    assertEquals(xrayScanned, report.xrayRecordedAndScannedPerMillionSpans(), CENT_FRACTION);
  }

  @ParameterizedTest(name = "{0} B -> {1} PUT payload units, {2} B billed on demand")
  @CsvSource({"1, 1, 1024", "1024, 1, 1024", "1025, 1, 2048", "25600, 1, 25600", "25601, 2, 26624", "1048576, 41, 1048576"})
  void putPayloadUnitsAreStartedTwentyFiveKbAndOnDemandRoundsToTheKb(int size, long units, long billed) {
    StreamUsage s = StreamUsage.ofRecords("s", StreamMode.PROVISIONED, 1, Duration.ZERO, 3, IntStream.of(size));
    assertEquals(units, s.putPayloadUnits());
    assertEquals(billed, s.billedBytesIn());
    assertEquals(3 * billed, s.billedBytesOut());
  }

  @Test
  void shippedTableCarriesItsDateSourcesAndPublishedPrices() {
    assertEquals("us-east-1", PRICES.region());
    assertEquals(LocalDate.of(2026, 11, 21), PRICES.asOf());
    assertTrue(PRICES.sources().stream().allMatch(s -> s.startsWith("https://aws.amazon.com/")));
    assertEquals(0.0000133334, PRICES.lambdaGbSecond(Architecture.ARM64));
    assertEquals(0.0000166667, PRICES.lambdaGbSecond(Architecture.X86_64));
    assertEquals(0.015, PRICES.kinesisShardHour());
    assertEquals(5.0, PRICES.xrayTracesRecordedPerMillion());
  }

  @Test
  void markdownShowsEveryLineTheTotalAndTheComparison() {
    String md = CostReport.of(PRICES, (RunUsage) runs().findFirst().orElseThrow().get()[1]).toMarkdown();
    assertTrue(md.contains("| Kinesis traces shards | 2.000000 | shard-hours | 0.015 | 0.030000 |"), md);
    assertTrue(md.contains("| S3 PUT requests (shard states) | 2.000000 | thousand requests | 0.005 | 0.010000 |"), md);
    assertTrue(md.contains("$0.4810 per million spans"), md);
    assertTrue(md.contains("AWS X-Ray recording the same traces: $0.5000 per million spans"), md);
    assertTrue(md.contains("as of 2026-11-21"), md);
  }

  @Test
  void aTableWithoutAPriceNamesTheMissingKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> PriceTable.parse("region: x\nas_of: 2026-01-01\nsources: [a]\nlambda: {gb_second: {arm64: 1}}\n", "prices.yaml"));
    assertEquals("prices.yaml: missing key lambda.gb_second.x86_64", e.getMessage());
  }

  @Test
  void aNegativePriceIsRefusedWithItsKey() {
    String yaml = new String(readShipped()).replace("stream_hour: 0.04", "stream_hour: -1");
    ConfigException e = assertThrows(ConfigException.class, () -> PriceTable.parse(yaml, "prices.yaml"));
    assertEquals("prices.yaml: kinesis.on_demand.stream_hour must be a non-negative number, not '-1'", e.getMessage());
  }

  @Test
  void aRunWithoutSpansCannotBePricedPerMillionSpans() {
    assertThrows(IllegalArgumentException.class, () -> new RunUsage(0, 0, Collections.emptyList(), List.of(), 0, 0, 0, 0, 0, 0));
  }

  private static byte[] readShipped() {
    try (var in = PriceTable.class.getResourceAsStream(PriceTable.US_EAST_1)) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
