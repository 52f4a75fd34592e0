package io.otelpipeline.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * What a function writes to its log deployed: the layer's log4j2.xml, its JSON layout, and the
 * level Lambda's advanced logging controls give it.
 */
class LambdaLogFormatTest {
  /** The layer's configuration, the one file of that name a function finds on its classpath. */
  private static final String LAYER_CONFIGURATION = "log4j2.xml";
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void aLogEventIsOneJsonLineWithTheInvocationsRequestIdAndItsException() throws IOException {
    Instant at = Instant.parse("2025-06-01T12:34:56.789Z");
    IOException cause = new IOException("connection reset\nby peer");
    Log4jLogEvent.Builder event = Log4jLogEvent.newBuilder()
        .setLoggerName("io.otelpipeline.core.export.OtlpHttpExporter")
        .setLevel(Level.WARN)
        .setMessage(new SimpleMessage("exporter: 12 spans not sent, to be retried: HTTP 503"))
        .setThrown(cause)
        .setTimeMillis(at.toEpochMilli());
    try (InvocationLogContext invocation = InvocationLogContext.open(new FixedContext("8f2c1e0a-request", "otel-pipeline-forwarder"))) {
      event.setContextData(new SortedArrayStringMap(MDC.getCopyOfContextMap()));
    }

    String rendered = layerLayout().toSerializable(event.build()).toString();

    assertTrue(rendered.endsWith("\n"), rendered);
    assertEquals(1, rendered.lines().count(), "one line, the exception's newlines escaped: " + rendered);
    JsonNode line = JSON.readTree(rendered);
    assertEquals("2025-06-01T12:34:56.789Z", line.path("timestamp").asText());
    assertEquals("WARN", line.path("level").asText());
    assertEquals("io.otelpipeline.core.export.OtlpHttpExporter", line.path("logger").asText());
    assertEquals("exporter: 12 spans not sent, to be retried: HTTP 503", line.path("message").asText());
    assertEquals("8f2c1e0a-request", line.path("AWSRequestId").asText());
    assertEquals("java.io.IOException", line.path("errorType").asText());
    assertEquals("connection reset\nby peer", line.path("errorMessage").asText());
    assertTrue(line.path("stackTrace").asText().contains("at " + LambdaLogFormatTest.class.getName()), line.path("stackTrace").asText());
  }

  @Test
  void aLineWithoutAnExceptionHasNoErrorFields() throws IOException {
    String rendered = layerLayout().toSerializable(Log4jLogEvent.newBuilder()
        .setLoggerName("io.otelpipeline.core.export.Exporters")
        .setLevel(Level.INFO)
        .setMessage(new SimpleMessage("config: uses    exporters.otlp_http: sends OTLP/HTTP"))
        .build()).toString();

    JsonNode line = JSON.readTree(rendered);
    assertEquals("INFO", line.path("level").asText());
    assertFalse(line.has("errorType"), rendered);
    assertFalse(line.has("stackTrace"), rendered);
  }

  @Test
  void theLevelIsLambdasApplicationLogLevelAndInfoWhenUnset() throws Exception {
    assertEquals(List.of("WARN"), levelsLogged(Map.of("AWS_LAMBDA_LOG_LEVEL", "WARN")));
    assertEquals(List.of("INFO", "WARN"), levelsLogged(Map.of()));
  }

  private static Layout<? extends Serializable> layerLayout() throws IOException {
    LoggerContext context = new LoggerContext("layer-configuration");
    ConfigurationSource source = ConfigurationSource.fromResource(LAYER_CONFIGURATION, LambdaLogFormatTest.class.getClassLoader());
    Configuration configuration = ConfigurationFactory.getInstance().getConfiguration(context, source);
    configuration.initialize();
    return configuration.getAppender("Lambda").getLayout();
  }

  /**
   * Runs {@link LogLevelProbe} in a JVM of its own with the layer's configuration and this
   * environment (Lambda's variables only there), and returns the levels of the lines it wrote,
   * each checked to be one JSON object with the probe's request id. The configuration is named:
   * this classpath also holds the tests' log4j2-test.xml, which Log4j would prefer.
   */
  private static List<String> levelsLogged(Map<String, String> lambdaEnvironment) throws Exception {
    Path stderr = Files.createTempFile("log-probe", ".err");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        "-Dlog4j2.configurationFile=classpath:" + LAYER_CONFIGURATION,
        LogLevelProbe.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_LAMBDA_"));
    builder.environment().putAll(lambdaEnvironment);
    Process process = builder.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe did not end");
    String errors = Files.readString(stderr);
    Files.delete(stderr);
    assertEquals(0, process.exitValue(), "the probe failed: " + errors);
    assertEquals("", errors, "Log4j complained about the layer's configuration");
    List<String> levels = new ArrayList<>();
    for (String text : stdout.lines().toList()) {
      JsonNode line = JSON.readTree(text);
      assertEquals(LogLevelProbe.REQUEST_ID, line.path("AWSRequestId").asText(), text);
      assertEquals("probe at " + line.path("level").asText(), line.path("message").asText(), text);
      levels.add(line.path("level").asText());
    }
    return levels;
  }
}
