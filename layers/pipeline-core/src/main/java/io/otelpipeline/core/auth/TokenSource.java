package io.otelpipeline.core.auth;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where the accepted bearer tokens come from: {@code INGEST_TOKENS} (comma-separated) locally, or
 * the Secrets Manager secret named by {@code INGEST_TOKEN_SECRET}, read at function start and
 * again as {@link RotatingTokens} says, every {@code INGEST_TOKEN_REFRESH} (default five minutes).
 */
public final class TokenSource {
  private TokenSource() {}

  /**
   * What checks the callers. With {@code INGEST_AUTH=iam} the Function URL checks SigV4 before the
   * function runs. With neither tokens nor IAM configured, start-up fails: auth is on by default
   * and an open endpoint must not happen by omission.
   */
  public static Authenticator load(FunctionEnvironment env, AwsClients aws) {
    if (env.getOrDefault("INGEST_AUTH", "token").equalsIgnoreCase("iam")) {
      return Authenticator.delegatedToIam();
    }
    Optional<String> inline = env.get("INGEST_TOKENS");
    if (inline.isPresent()) {
      return nonEmpty(BearerTokens.parse(inline.get()), "INGEST_TOKENS");
    }
    Optional<String> secret = env.get("INGEST_TOKEN_SECRET");
    if (secret.isPresent()) {
      SecretsManagerClient sm = aws.secretsManager();
      String where = "secret " + secret.get();
      return RotatingTokens.of(
          () -> nonEmpty(BearerTokens.parse(sm.getSecretValue(b -> b.secretId(secret.get())).secretString()), where),
          Clock.systemUTC(),
          env.getDuration("INGEST_TOKEN_REFRESH", RotatingTokens.DEFAULT_REFRESH),
          RotatingTokens.DEFAULT_RECHECK,
          System.err::println);
    }
    throw new ConfigException(
        "no ingest tokens: set INGEST_TOKENS (comma-separated bearer tokens) or INGEST_TOKEN_SECRET, or INGEST_AUTH=iam");
  }

  private static BearerTokens nonEmpty(BearerTokens tokens, String where) {
    if (tokens.isEmpty()) {
      throw new ConfigException(where + " holds no tokens");
    }
    return tokens;
  }
}
