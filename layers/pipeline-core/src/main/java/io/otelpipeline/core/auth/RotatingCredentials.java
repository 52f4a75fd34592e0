package io.otelpipeline.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Credentials read from where they are kept (a Secrets Manager secret) and read again, so that a
 * rotated or added token is accepted without a redeploy: every {@link #DEFAULT_REFRESH} at the
 * latest, and at most every {@link #DEFAULT_RECHECK} when a caller is refused, so a token added a
 * moment ago works at its first retry. Ages are measured on the wall clock, so a function restored
 * from a SnapStart snapshot taken long ago reads them again at its first request. A failed or
 * empty read keeps what was read before and is retried at the next recheck.
 *
 * @param <T> what was read: the ingest's tokens, or the collectors' tokens
 */
public final class RotatingCredentials<T> {
  /** The longest a removed token is still accepted, and an added one refused while no caller presents it. */
  public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
  /** The shortest time between two reads caused by refused callers, which bounds what refused callers cost. */
  public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(30);

  private final Supplier<T> source;
  private final Predicate<T> empty;
  private final Clock clock;
  private final Duration refresh;
  private final Duration recheck;
  private final Consumer<String> log;
  private volatile T current;
  private volatile Instant readAt;

  private RotatingCredentials(Supplier<T> source, Predicate<T> empty, Clock clock, Duration refresh, Duration recheck, Consumer<String> log) {
    this.source = source;
    this.empty = empty;
    this.clock = clock;
    this.refresh = refresh;
    this.recheck = recheck;
    this.log = log;
    this.current = source.get();
    this.readAt = clock.instant();
  }

  /** Reads the credentials now (a failure here fails the function's start: auth must not be open by omission). */
  public static <T> RotatingCredentials<T> of(
      Supplier<T> source, Predicate<T> empty, Clock clock, Duration refresh, Duration recheck, Consumer<String> log) {
    Objects.requireNonNull(source, "source");
    if (refresh.isNegative() || refresh.isZero() || recheck.isNegative()) {
      throw new IllegalArgumentException("refresh must be positive and recheck not negative, not " + refresh + " and " + recheck);
    }
    return new RotatingCredentials<>(source, empty, clock, refresh, recheck, log);
  }

  /** Ingest tokens that rotate. */
  public static Authenticator tokens(Supplier<BearerTokens> source, Clock clock, Duration refresh, Duration recheck, Consumer<String> log) {
    RotatingCredentials<BearerTokens> rotating = of(source, BearerTokens::isEmpty, clock, refresh, recheck, log);
    return header -> rotating.allows(tokens -> tokens.accepts(header));
  }

  /** Collector tokens that rotate. */
  public static CollectorCredentials collectors(
      Supplier<CollectorTokens> source, Clock clock, Duration refresh, Duration recheck, Consumer<String> log) {
    RotatingCredentials<CollectorTokens> rotating = of(source, CollectorTokens::isEmpty, clock, refresh, recheck, log);
    return (collector, header) -> rotating.allows(tokens -> tokens.accepts(collector, header));
  }

  /** True when the check passes on the credentials, read again first when they are old, and once more when it fails. */
  public boolean allows(Predicate<T> check) {
    if (Duration.between(readAt, clock.instant()).compareTo(refresh) >= 0) {
      reread();
    }
    if (check.test(current)) {
      return true;
    }
    if (Duration.between(readAt, clock.instant()).compareTo(recheck) >= 0 && reread()) {
      return check.test(current);
    }
    return false;
  }

  private synchronized boolean reread() {
    Instant now = clock.instant();
    if (Duration.between(readAt, now).compareTo(recheck) < 0) {
      return false;
    }
    readAt = now;
    try {
      T read = source.get();
      if (empty.test(read)) {
        log.accept("auth: the credentials' source holds no tokens now; keeping the tokens read before");
        return false;
      }
      current = read;
      return true;
    } catch (RuntimeException e) {
      log.accept("auth: cannot read the credentials again (" + e.getMessage() + "); keeping the tokens read before");
      return false;
    }
  }
}
