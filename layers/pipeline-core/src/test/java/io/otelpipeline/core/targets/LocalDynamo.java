package io.otelpipeline.core.targets;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB Local in-process, with the scrape tables as the template declares them. */
public final class LocalDynamo implements AutoCloseable {
  public static final String TARGETS = "targets";
  public static final String COLLECTORS = "collectors";
  public static final String SCRAPE_STATE = "scrape-state";

  private final DynamoDBProxyServer server;
  private final DynamoDbClient client;

  private LocalDynamo(DynamoDBProxyServer server, DynamoDbClient client) {
    this.server = server;
    this.client = client;
  }

  public static LocalDynamo start() throws Exception {
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
    LocalDynamo d = new LocalDynamo(server, client);
    d.create(TARGETS, "job", "address");
    d.create(COLLECTORS, "id", null);
    d.create(SCRAPE_STATE, "id", null);
    return d;
  }

  public DynamoDbClient client() {
    return client;
  }

  private void create(String table, String hash, String range) {
    client.createTable(b -> {
      b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST);
      if (range == null) {
        b.attributeDefinitions(AttributeDefinition.builder().attributeName(hash).attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
      } else {
        b.attributeDefinitions(
                List.of(
                    AttributeDefinition.builder().attributeName(hash).attributeType(ScalarAttributeType.S).build(),
                    AttributeDefinition.builder().attributeName(range).attributeType(ScalarAttributeType.S).build()))
            .keySchema(
                KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
      }
    });
  }

  @Override
  public void close() throws Exception {
    client.close();
    server.stop();
  }
}
