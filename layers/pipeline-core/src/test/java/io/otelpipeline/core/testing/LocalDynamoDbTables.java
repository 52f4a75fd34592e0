package io.otelpipeline.core.testing;

import java.util.Arrays;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local with the given tables for one test class, emptied before each test: register it
 * as a static {@code @RegisterExtension} field instead of starting, clearing and closing by hand.
 */
public final class LocalDynamoDbTables implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final TableSpec[] tables;
  private LocalDynamoDb dynamo;

  public LocalDynamoDbTables(TableSpec... tables) {
    this.tables = tables.clone();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    dynamo = LocalDynamoDb.start().create(tables);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Arrays.stream(tables).forEach(t -> dynamo.clear(t.name()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    dynamo.close();
  }

  public DynamoDbClient client() {
    return dynamo.client();
  }

  /** Items in {@code table} now. */
  public int count(String table) {
    return dynamo.count(table);
  }
}
