package io.otelpipeline.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Tokens rotated in a secret take effect without a restart, within bounds, and a failed read changes nothing. */
class RotatingCredentialsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
  private final AtomicReference<String> secret = new AtomicReference<>("old");
  private final AtomicInteger reads = new AtomicInteger();
  private final List<String> log = new ArrayList<>();

  private Authenticator tokens() {
    return RotatingCredentials.tokens(() -> {
      reads.incrementAndGet();
      String value = secret.get();
      if (value == null) {
        throw new IllegalStateException("AccessDeniedException");
      }
      return BearerTokens.parse(value);
    }, clock, Duration.ofMinutes(5), Duration.ofSeconds(30), log::add);
  }

  @Test
  void anAddedTokenIsAcceptedAtTheFirstRetryAfterTheRecheckInterval() {
    Authenticator tokens = tokens();
    secret.set("old,new");
    assertFalse(tokens.accepts("Bearer new"), "read a moment ago: not read again for a refused token");
    clock.advance(Duration.ofSeconds(30));
    assertTrue(tokens.accepts("Bearer new"));
    assertEquals(2, reads.get());
  }

  @Test
  void aRemovedTokenIsRefusedOnceTheRefreshIntervalHasPassed() {
    Authenticator tokens = tokens();
    secret.set("new");
    clock.advance(Duration.ofMinutes(4));
    assertTrue(tokens.accepts("Bearer old"), "within the refresh interval the token read at start holds");
    clock.advance(Duration.ofMinutes(1));
    assertFalse(tokens.accepts("Bearer old"));
    assertTrue(tokens.accepts("Bearer new"));
  }

  @Test
  void aRestoreFromAnOldSnapshotReadsTheTokensAtItsFirstRequest() {
    Authenticator tokens = tokens();
    secret.set("rotated");
    clock.advance(Duration.ofDays(3));
    assertTrue(tokens.accepts("Bearer rotated"));
    assertFalse(tokens.accepts("Bearer old"));
  }

  @Test
  void refusedCallersCauseAtMostOneReadPerRecheckInterval() {
    Authenticator tokens = tokens();
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 100; i++) {
      assertFalse(tokens.accepts("Bearer guess" + i));
    }
    assertEquals(2, reads.get());
  }

  @Test
  void aFailedOrEmptyReadKeepsTheTokensAndSaysSo() {
    Authenticator tokens = tokens();
    secret.set(null);
    clock.advance(Duration.ofMinutes(5));
    assertTrue(tokens.accepts("Bearer old"));
    assertTrue(log.get(0).contains("AccessDeniedException"), log.toString());
    secret.set(" , ");
    clock.advance(Duration.ofMinutes(5));
    assertTrue(tokens.accepts("Bearer old"));
    assertTrue(log.get(1).contains("holds no tokens"), log.toString());
  }

  @Test
  void theFirstReadMustSucceed() {
    secret.set(null);
    assertThrows(IllegalStateException.class, this::tokens);
  }

  @Test
  void collectorsAreAcceptedOnlyWithTheirOwnTokenAndARotatedOneTakesOver() {
    AtomicReference<String> collectorSecret = new AtomicReference<>("ecs-1=one,ecs-2=two");
    CollectorCredentials collectors = RotatingCredentials.collectors(() -> CollectorTokens.parse(collectorSecret.get(), "secret"),
        clock, Duration.ofMinutes(5), Duration.ofSeconds(30), log::add);
    assertTrue(collectors.accepts("ecs-1", "Bearer one"));
    assertFalse(collectors.accepts("ecs-1", "Bearer two"), "another collector's token");
    assertFalse(collectors.accepts("invented", "Bearer one"));
    collectorSecret.set("ecs-1=one,ecs-1=one-next");
    clock.advance(Duration.ofSeconds(30));
    assertTrue(collectors.accepts("ecs-1", "Bearer one-next"), "both tokens of a collector work while it rotates");
    assertFalse(collectors.accepts("ecs-2", "Bearer two"), "a collector taken out of the secret");
    assertEquals("secret: entry 2 is not of the form collector_id=token",
        assertThrows(ConfigException.class, () -> CollectorTokens.parse("a=1,=2", "secret")).getMessage());
  }

  @Test
  void iamDelegationLetsEveryRequestThroughAndAMissingSourceFailsStart() {
    assertTrue(Authenticator.delegatedToIam().accepts(null));
    assertFalse(TokenSource.collectors(new io.otelpipeline.core.config.FunctionEnvironment(java.util.Map.of()), null).accepts("c", "Bearer x"),
        "without collector credentials no one acts as a collector");
    assertThrows(ConfigException.class, () -> TokenSource.load(
        new io.otelpipeline.core.config.FunctionEnvironment(java.util.Map.of()), null));
  }
}
