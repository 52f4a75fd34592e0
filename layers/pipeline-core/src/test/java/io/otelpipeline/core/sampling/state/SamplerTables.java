package io.otelpipeline.core.sampling.state;

import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.TableSpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local in-process with the sampler's two tables as template.yaml declares them. */
public final class SamplerTables implements AutoCloseable {
  public static final String BUFFER = "trace-buffer";
  public static final String DECISIONS = "trace-decisions";

  private final LocalDynamoDb dynamo;

  private SamplerTables(LocalDynamoDb dynamo) {
    this.dynamo = dynamo;
  }

  public static SamplerTables start() {
    return new SamplerTables(LocalDynamoDb.start().create(TableSpec.traceDecisions(DECISIONS), TableSpec.traceBuffer(BUFFER)));
  }

  public DynamoDbClient client() {
    return dynamo.client();
  }

  public int count(String table) {
    return dynamo.count(table);
  }

  @Override
  public void close() {
    dynamo.close();
  }
}
