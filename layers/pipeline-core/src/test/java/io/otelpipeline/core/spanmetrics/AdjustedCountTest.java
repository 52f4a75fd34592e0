package io.otelpipeline.core.spanmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdjustedCountTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|1",
        "vendor=abc|1",
        "ot=th:0|1",
        "ot=th:8|2",
        "ot=th:c|4",
        "ot=th:e|8",
        "ot=rv:abcdef01234567;th:f|16",
        "vendor=x,ot=th:fd70a3d70a3d71|100",
        "ot=th:aaab|3",
        "ot=th:zz|1",
        "ot=th:123456789abcdef0|1",
        "ot=p:8|1",
      })
  void countsASpanByTheInverseOfItsSamplingProbability(String traceState, long expected) {
    assertEquals(expected, AdjustedCount.of(traceState));
  }
}
