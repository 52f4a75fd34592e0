package io.otelpipeline.core.targets.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardSizingTest {
  @ParameterizedTest(name = "{0} shards busy {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0||1",
        "1||1",
        "1|0.1|1",
        "1|0.49|1",
        "1|0.6|2",
        "1|1.6|4",
        "2|0.6 0.6|3",
        "4|0.1 0.1 0.05 0.1|3",
        "4|0.3 0.3 0.3 0.3|4",
        "3|0.2 0.01 0.3|3",
        "2|5 5|20",
        "2|40 40|64",
      })
  void sizesFromBusyShares(int current, String shares, int expected) {
    List<Double> busy = shares == null ? List.of() : Arrays.stream(shares.split(" ")).map(Double::parseDouble).toList();
    assertEquals(expected, new ShardSizing(ShardSizing.DEFAULT_SHARE, 1, ShardSizing.DEFAULT_MAX).size(current, busy));
  }
}
