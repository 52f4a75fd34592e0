package io.otelpipeline.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The harness's command line: the backend outage and the bounded wait after the load. */
class LoadOptionsTest {
  @Test
  void anOutageStartsWithTheLoadUnlessToldWhenAndIsAbsentUnlessAskedFor() {
    LoadOptions none = LoadOptions.parse(new String[] {"--rate", "3000", "--duration", "60s"});
    assertEquals(Optional.empty(), none.outage());
    assertEquals(LoadOptions.DEFAULT_DRAIN_TIMEOUT, none.drainTimeout());

    LoadOptions outage = LoadOptions.parse(new String[] {"--outage", "300s"});
    assertEquals(Optional.of(Duration.ofMinutes(5)), outage.outage());
    assertEquals(Duration.ZERO, outage.outageAt());

    LoadOptions later = LoadOptions.parse(new String[] {"--outage", "5m", "--outage-at", "10s", "--drain-timeout", "15m"});
    assertEquals(Optional.of(Duration.ofMinutes(5)), later.outage());
    assertEquals(Duration.ofSeconds(10), later.outageAt());
    assertEquals(Duration.ofMinutes(15), later.drainTimeout());
  }

  @Test
  void anOutageAgainstADeployedEndpointIsRefusedBecauseTheHarnessDoesNotOwnThatBackend() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--endpoint", "https://example.lambda-url.us-east-1.on.aws", "--token", "t", "--outage", "5m"}));
    assertTrue(e.getMessage().contains("--outage") && e.getMessage().contains("local runs only"), e.getMessage());
    // the same endpoint without an outage is a valid run
    assertTrue(LoadOptions.parse(new String[] {"--endpoint", "https://example.lambda-url.us-east-1.on.aws", "--token", "t"}).endpoint().isPresent());
  }

  @Test
  void outageFlagsThatMeanNothingOrCannotBeAreRefusedByName() {
    assertRefused("--outage-at", "--outage-at", "10s");
    assertRefused("--outage", "--outage", "0s");
    assertRefused("--outage", "--outage", "five minutes");
    assertRefused("--outage-at", "--outage", "5m", "--outage-at", "soon");
    assertRefused("--drain-timeout", "--drain-timeout", "0s");
    assertRefused("--experiment", "--experiment", "--outage", "5m");
    assertRefused("--outage needs a value", "--outage");
  }

  private static void assertRefused(String named, String... args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args), String.join(" ", args));
    assertTrue(e.getMessage().contains(named), String.join(" ", args) + ": " + e.getMessage());
  }
}
