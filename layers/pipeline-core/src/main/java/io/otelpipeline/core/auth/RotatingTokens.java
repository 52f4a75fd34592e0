package io.otelpipeline.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Bearer tokens read from where they are kept (a Secrets Manager secret) and read again, so that a
 * rotated or added token is accepted without a redeploy: every {@link #DEFAULT_REFRESH} at the
 * latest, and at most every {@link #DEFAULT_RECHECK} when a token is refused, so a token added a
 * moment ago works at its first retry. Ages are measured on the wall clock, so a function restored
 * from a SnapStart snapshot taken long ago reads the tokens again at its first request. A failed
 * read keeps the tokens last read and is retried at the next recheck.
 */
public final class RotatingTokens implements Authenticator {
  /** The longest a removed token is still accepted, and an added one refused while no caller presents it. */
  public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
  /** The shortest time between two reads caused by refused tokens, which bounds what refused callers cost. */
  public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(30);

  private final Supplier<BearerTokens> source;
  private final Clock clock;
  private final Duration refresh;
  private final Duration recheck;
  private final Consumer<String> log;
  private volatile BearerTokens tokens;
  private volatile Instant readAt;

  private RotatingTokens(Supplier<BearerTokens> source, Clock clock, Duration refresh, Duration recheck, Consumer<String> log) {
    this.source = source;
    this.clock = clock;
    this.refresh = refresh;
    this.recheck = recheck;
    this.log = log;
    this.tokens = source.get();
    this.readAt = clock.instant();
  }

  /** Reads the tokens now (a failure here fails the function's start: auth must not be open by omission). */
  public static RotatingTokens of(Supplier<BearerTokens> source, Clock clock, Duration refresh, Duration recheck, Consumer<String> log) {
    Objects.requireNonNull(source, "source");
    if (refresh.isNegative() || refresh.isZero() || recheck.isNegative()) {
      throw new IllegalArgumentException("refresh must be positive and recheck not negative, not " + refresh + " and " + recheck);
    }
    return new RotatingTokens(source, clock, refresh, recheck, log);
  }

  @Override
  public boolean accepts(String authorizationHeader) {
    Duration age = Duration.between(readAt, clock.instant());
    if (age.compareTo(refresh) >= 0) {
      reread();
    }
    if (tokens.accepts(authorizationHeader)) {
      return true;
    }
    if (Duration.between(readAt, clock.instant()).compareTo(recheck) >= 0 && reread()) {
      return tokens.accepts(authorizationHeader);
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
      BearerTokens read = source.get();
      if (read.isEmpty()) {
        log.accept("auth: the token source holds no tokens now; keeping the tokens read before");
        return false;
      }
      tokens = read;
      return true;
    } catch (RuntimeException e) {
      log.accept("auth: cannot read the tokens again (" + e.getMessage() + "); keeping the tokens read before");
      return false;
    }
  }
}
