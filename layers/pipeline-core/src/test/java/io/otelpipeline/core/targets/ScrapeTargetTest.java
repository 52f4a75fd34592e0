package io.otelpipeline.core.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScrapeTargetTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "job|node:9100|ok|30|",
        "job|10.0.0.1:9100|ok|30|",
        "job|[::1]:9100|ok|30|",
        "job|node|ok|30|address",
        "job|http://node:9100|ok|30|address",
        "job|node:0|ok|30|address",
        "job|node:70000|ok|30|address",
        "job|node:abc|ok|30|address",
        "job|no de:9100|ok|30|address",
        "job|1.2.3:80|ok|30|address",
        "job|0251.0376.0251.0376:80|ok|30|address",
        "job|256.1.1.1:80|ok|30|address",
        "job|a_b:80|ok|30|address",
        "job|node:9100|1bad|30|labels",
        "job|node:9100|__reserved|30|labels",
        "job|node:9100|instance|30|labels",
        "job|node:9100|ok|0|interval",
        "my job|node:9100|ok|30|job",
      })
  void validatesEachField(String job, String address, String label, int intervalSeconds, String badField) {
    if (badField == null) {
      ScrapeTarget t = ScrapeTarget.of(job, address, Map.of(label, "v"), Duration.ofSeconds(intervalSeconds), TargetSource.REGISTERED);
      assertEquals(address, t.instance());
      return;
    }
    InvalidTargetException e =
        assertThrows(InvalidTargetException.class, () -> ScrapeTarget.of(job, address, Map.of(label, "v"), Duration.ofSeconds(intervalSeconds), TargetSource.REGISTERED));
    assertEquals(badField, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(badField + ": "), e.getMessage());
  }

  @Test
  void urlCarriesPathAndParams() {
    ScrapeTarget t =
        new ScrapeTarget("j", "h:1", Map.of(), "https", "/probe", Map.of("module", List.of("http 2xx")), Duration.ofSeconds(30), Duration.ofSeconds(5), false, TargetSource.CONFIG);
    assertEquals("https://h:1/probe?module=http+2xx", t.url());
    assertEquals("h", t.host());
    assertEquals(1, t.port());
  }
}
