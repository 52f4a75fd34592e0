package io.otelpipeline.core.auth;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.aws.SecretVariables;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the accepted credentials come from. Registrants and senders: {@code INGEST_TOKENS}
 * (comma-separated) locally, or the secret named by {@code INGEST_TOKEN_SECRET}. External
 * collectors: {@code COLLECTOR_TOKENS} ({@code id=token,...}) locally, or the secret named by
 * {@code COLLECTOR_TOKEN_SECRET}. Secrets are read at function start and again as
 * {@link RotatingCredentials} says, every {@code INGEST_TOKEN_REFRESH} (default five minutes).
 */
public final class TokenSource {
  private static final Logger LOG = LoggerFactory.getLogger(TokenSource.class);
  private TokenSource() {}

  /**
   * What checks the callers. With {@code INGEST_AUTH=iam} the Function URL checks SigV4 before the
   * function runs. With neither tokens nor IAM configured, start-up fails: auth is on by default
   * and an open endpoint must not happen by omission.
   */
  public static Authenticator load(FunctionEnvironment env, AwsClients aws) {
    if (iam(env)) {
      return Authenticator.delegatedToIam();
    }
    Optional<String> inline = env.get("INGEST_TOKENS");
    if (inline.isPresent()) {
      return nonEmpty(BearerTokens.parse(inline.get()), "INGEST_TOKENS");
    }
    Optional<String> secret = env.get("INGEST_TOKEN_SECRET");
    if (secret.isPresent()) {
      Supplier<String> read = secret(aws, secret.get());
      return RotatingCredentials.tokens(() -> nonEmpty(BearerTokens.parse(read.get()), "secret " + secret.get()),
          Clock.systemUTC(), env.getDuration("INGEST_TOKEN_REFRESH", RotatingCredentials.DEFAULT_REFRESH), RotatingCredentials.DEFAULT_RECHECK,
          LOG::warn);
    }
    throw new ConfigException(
        "no ingest tokens: set INGEST_TOKENS (comma-separated bearer tokens) or INGEST_TOKEN_SECRET, or INGEST_AUTH=iam");
  }

  /**
   * What checks a caller acting as a collector. With none configured, no collector can act through
   * the API (the Lambda scraper shards do not need it); with {@code INGEST_AUTH=iam}, IAM decides.
   */
  public static CollectorCredentials collectors(FunctionEnvironment env, AwsClients aws) {
    if (iam(env)) {
      return CollectorCredentials.delegatedToIam();
    }
    Optional<String> inline = env.get("COLLECTOR_TOKENS");
    if (inline.isPresent()) {
      return CollectorTokens.parse(inline.get(), "COLLECTOR_TOKENS");
    }
    Optional<String> secret = env.get("COLLECTOR_TOKEN_SECRET");
    if (secret.isPresent()) {
      Supplier<String> read = secret(aws, secret.get());
      return RotatingCredentials.collectors(() -> CollectorTokens.parse(read.get(), "secret " + secret.get()),
          Clock.systemUTC(), env.getDuration("INGEST_TOKEN_REFRESH", RotatingCredentials.DEFAULT_REFRESH), RotatingCredentials.DEFAULT_RECHECK,
          LOG::warn);
    }
    return CollectorCredentials.none();
  }

  private static boolean iam(FunctionEnvironment env) {
    return env.getOrDefault("INGEST_AUTH", "token").equalsIgnoreCase("iam");
  }

  private static Supplier<String> secret(AwsClients aws, String secretId) {
    UnaryOperator<String> read = SecretVariables.secretsManager(aws);
    return () -> read.apply(secretId);
  }

  private static BearerTokens nonEmpty(BearerTokens tokens, String where) {
    if (tokens.isEmpty()) {
      throw new ConfigException(where + " holds no tokens");
    }
    return tokens;
  }
}
