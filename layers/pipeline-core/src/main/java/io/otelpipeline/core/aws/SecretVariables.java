package io.otelpipeline.core.aws;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Settings that must not sit in a function's environment, where anyone who may read the
 * function's configuration sees them: the environment names the secret ({@code NAME_SECRET}), and
 * its value is read at start into the setting ({@code NAME}) of the environment the function uses.
 */
public final class SecretVariables {
  /** The settings that may come from a secret, by the variable naming the secret. */
  public static final Map<String, String> FROM_SECRETS = Map.of("EXPORT_OTLP_HEADERS_SECRET", "EXPORT_OTLP_HEADERS");

  private SecretVariables() {}

  /**
   * The environment with every named secret read into its setting. Setting a variable both
   * directly and through a secret is refused: which one holds would be a guess.
   */
  public static FunctionEnvironment resolve(FunctionEnvironment env, UnaryOperator<String> readSecret) {
    Map<String, String> resolved = null;
    for (Map.Entry<String, String> e : FROM_SECRETS.entrySet()) {
      Optional<String> secret = env.get(e.getKey());
      if (secret.isEmpty()) {
        continue;
      }
      if (env.get(e.getValue()).isPresent()) {
        throw new ConfigException("both " + e.getValue() + " and " + e.getKey() + " are set: keep one");
      }
      String value;
      try {
        value = readSecret.apply(secret.get());
      } catch (RuntimeException failed) {
        throw new ConfigException(e.getKey() + ": cannot read secret " + secret.get() + ": " + failed.getMessage(), failed);
      }
      if (resolved == null) {
        resolved = new HashMap<>(env.variables());
      }
      resolved.put(e.getValue(), value == null ? "" : value.trim());
    }
    return resolved == null ? env : new FunctionEnvironment(resolved);
  }

  /**
   * Reads a secret's string through Secrets Manager, with one client built at the first read (none
   * when nothing names a secret) and kept for the reads that rotation repeats.
   */
  public static UnaryOperator<String> secretsManager(AwsClients aws) {
    return new UnaryOperator<>() {
      private SecretsManagerClient client;

      @Override
      public synchronized String apply(String id) {
        if (client == null) {
          client = aws.secretsManager();
        }
        return client.getSecretValue(b -> b.secretId(id)).secretString();
      }
    };
  }
}
