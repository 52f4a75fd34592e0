package io.otelpipeline.core.auth;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where the accepted bearer tokens come from: {@code INGEST_TOKENS} (comma-separated) locally, or
 * the Secrets Manager secret named by {@code INGEST_TOKEN_SECRET}, read once at function start.
 */
public final class TokenSource {
  private TokenSource() {}

  /**
   * The tokens, or empty when authentication is delegated (INGEST_AUTH=iam: the Function URL
   * checks SigV4 before the function runs). With neither tokens nor IAM configured, start-up fails:
   * auth is on by default and an open endpoint must not happen by omission.
   */
  public static Optional<BearerTokens> load(FunctionEnvironment env, AwsClients aws) {
    if (env.getOrDefault("INGEST_AUTH", "token").equalsIgnoreCase("iam")) {
      return Optional.empty();
    }
    Optional<String> inline = env.get("INGEST_TOKENS");
    if (inline.isPresent()) {
      return Optional.of(nonEmpty(BearerTokens.parse(inline.get()), "INGEST_TOKENS"));
    }
    Optional<String> secret = env.get("INGEST_TOKEN_SECRET");
    if (secret.isPresent()) {
      try (SecretsManagerClient sm = aws.secretsManager()) {
        String value = sm.getSecretValue(b -> b.secretId(secret.get())).secretString();
        return Optional.of(nonEmpty(BearerTokens.parse(value), "secret " + secret.get()));
      }
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
