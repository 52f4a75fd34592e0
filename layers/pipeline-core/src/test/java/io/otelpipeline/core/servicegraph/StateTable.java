package io.otelpipeline.core.servicegraph;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.ServerSocket;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB Local in-process with the span-metrics state table as template.yaml declares it. */
public final class StateTable implements AutoCloseable {
  public static final String NAME = "span-metrics-state";

  private final DynamoDBProxyServer server;
  private final DynamoDbClient client;

  private StateTable(DynamoDBProxyServer server, DynamoDbClient client) {
    this.server = server;
    this.client = client;
  }

  public static StateTable start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", Integer.toString(port)});
    server.start();
    DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    client.createTable(
        b -> b.tableName(NAME)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(
                AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                AttributeDefinition.builder().attributeName("dueBucket").attributeType(ScalarAttributeType.S).build(),
                AttributeDefinition.builder().attributeName("dueAt").attributeType(ScalarAttributeType.N).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
            .globalSecondaryIndexes(
                GlobalSecondaryIndex.builder()
                    .indexName(DynamoDbPendingEdgeStore.DUE_INDEX)
                    .keySchema(
                        KeySchemaElement.builder().attributeName("dueBucket").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("dueAt").keyType(KeyType.RANGE).build())
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build()));
    return new StateTable(server, client);
  }

  public DynamoDbClient client() {
    return client;
  }

  /** Removes every item, so that each test starts from an empty table. */
  public void clear() {
    client.scan(b -> b.tableName(NAME)).items().forEach(item -> client.deleteItem(d -> d.tableName(NAME).key(java.util.Map.of("pk", item.get("pk")))));
  }

  @Override
  public void close() throws Exception {
    client.close();
    server.stop();
  }
}
