package io.otelpipeline.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backend headers come from a secret the environment names, never from the environment itself. */
class SecretVariablesTest {
  @Test
  void theSecretsValueBecomesTheSetting() {
    FunctionEnvironment env = new FunctionEnvironment(Map.of("EXPORT_OTLP_HEADERS_SECRET", "otel/backend", "OTHER", "x"));
    FunctionEnvironment resolved = SecretVariables.resolve(env, id -> id.equals("otel/backend") ? " api-key=s3cret \n" : null);
    assertEquals("api-key=s3cret", resolved.require("EXPORT_OTLP_HEADERS"));
    assertEquals("x", resolved.require("OTHER"));
  }

  @Test
  void withoutASecretNothingIsRead() {
    FunctionEnvironment env = new FunctionEnvironment(Map.of("EXPORT_OTLP_HEADERS_SECRET", "", "EXPORT_OTLP_HEADERS", "a=b"));
    assertSame(env, SecretVariables.resolve(env, id -> {
      throw new AssertionError("read " + id);
    }));
  }

  @Test
  void bothWaysAtOnceOrAnUnreadableSecretFailStartNamingTheVariable() {
    FunctionEnvironment both = new FunctionEnvironment(Map.of("EXPORT_OTLP_HEADERS_SECRET", "s", "EXPORT_OTLP_HEADERS", "a=b"));
    assertEquals("both EXPORT_OTLP_HEADERS and EXPORT_OTLP_HEADERS_SECRET are set: keep one",
        assertThrows(ConfigException.class, () -> SecretVariables.resolve(both, id -> "")).getMessage());
    FunctionEnvironment denied = new FunctionEnvironment(Map.of("EXPORT_OTLP_HEADERS_SECRET", "otel/backend"));
    assertEquals("EXPORT_OTLP_HEADERS_SECRET: cannot read secret otel/backend: AccessDeniedException",
        assertThrows(ConfigException.class, () -> SecretVariables.resolve(denied, id -> {
          throw new IllegalStateException("AccessDeniedException");
        })).getMessage());
  }
}
