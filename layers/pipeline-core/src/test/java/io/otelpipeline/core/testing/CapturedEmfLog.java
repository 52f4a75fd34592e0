package io.otelpipeline.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * An EMF environment whose sink keeps the documents the library serializes, as CloudWatch would
 * read them from the function's log, instead of writing them to stdout.
 */
public final class CapturedEmfLog implements Environment, ISink {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> documents = new ArrayList<>();

  /** The documents so far, in the order they were written. */
  public List<JsonNode> documents() {
    return documents;
  }

  @Override
  public boolean probe() {
    return true;
  }

  @Override
  public String getName() {
    return "test";
  }

  @Override
  public String getType() {
    return "test";
  }

  @Override
  public String getLogGroupName() {
    return "test";
  }

  @Override
  public void configureContext(MetricsContext context) {}

  @Override
  public ISink getSink() {
    return this;
  }

  @Override
  public void accept(MetricsContext context) {
    try {
      for (String line : context.serialize()) {
        documents.add(JSON.readTree(line));
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    return CompletableFuture.completedFuture(null);
  }
}
