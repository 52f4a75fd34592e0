package io.otelpipeline.core.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * DynamoDB Local embedded in this JVM, in memory, on a free port, with a real client.
 *
 * <p>It runs with {@code -sharedDb}: DynamoDB Local otherwise keeps one database per access key and
 * region, and a function built from an environment with another region would not see the tables
 * created here.
 */
public final class LocalDynamoDb implements AutoCloseable {
  private final DynamoDBProxyServer server;
  private final URI endpoint;
  private final DynamoDbClient client;

  private LocalDynamoDb(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
    this.client =
        DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /** Starts an empty database; {@link #create} adds the tables a test needs. */
  public static LocalDynamoDb start() {
    int port = LocalPorts.free();
    try {
      DynamoDBProxyServer server =
          ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port)});
      server.start();
      return new LocalDynamoDb(server, URI.create("http://127.0.0.1:" + port));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start DynamoDB Local on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** What {@code AWS_ENDPOINT_URL_DYNAMODB} is set to for a function that should use this database. */
  public URI endpoint() {
    return endpoint;
  }

  public DynamoDbClient client() {
    return client;
  }

  /** Creates the tables, on demand billing, with the keys and index each spec names. */
  public LocalDynamoDb create(TableSpec... tables) {
    for (TableSpec table : tables) {
      client.createTable(table.request());
    }
    return this;
  }

  public int count(String table) {
    return client.scanPaginator(b -> b.tableName(table)).stream().mapToInt(page -> page.count()).sum();
  }

  /** Removes every item of the table, so that each test starts from an empty one. */
  public void clear(String table) {
    var keys = client.describeTable(b -> b.tableName(table)).table().keySchema().stream().map(KeySchemaElement::attributeName).toList();
    client.scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
      Map<String, AttributeValue> key = keys.stream().collect(Collectors.toMap(k -> k, item::get));
      client.deleteItem(d -> d.tableName(table).key(key));
    });
  }

  @Override
  public void close() {
    client.close();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop DynamoDB Local on " + endpoint + ": " + e.getMessage(), e);
    }
  }

}
