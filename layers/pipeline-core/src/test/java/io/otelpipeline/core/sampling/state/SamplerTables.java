package io.otelpipeline.core.sampling.state;

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

/** DynamoDB Local in-process with the sampler's two tables as template.yaml declares them. */
public final class SamplerTables implements AutoCloseable {
  public static final String BUFFER = "trace-buffer";
  public static final String DECISIONS = "trace-decisions";

  private final DynamoDBProxyServer server;
  private final DynamoDbClient client;

  private SamplerTables(DynamoDBProxyServer server, DynamoDbClient client) {
    this.server = server;
    this.client = client;
  }

  public static SamplerTables start() throws Exception {
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
        b ->
            b.tableName(DECISIONS)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("traceId", ScalarAttributeType.S))
                .keySchema(key("traceId", KeyType.HASH)));
    client.createTable(
        b ->
            b.tableName(BUFFER)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    attribute("traceId", ScalarAttributeType.S),
                    attribute("chunk", ScalarAttributeType.S),
                    attribute("dueBucket", ScalarAttributeType.N),
                    attribute("dueAt", ScalarAttributeType.N))
                .keySchema(key("traceId", KeyType.HASH), key("chunk", KeyType.RANGE))
                .globalSecondaryIndexes(
                    GlobalSecondaryIndex.builder()
                        .indexName(DynamoDbTraceBuffer.DUE_INDEX)
                        .keySchema(key("dueBucket", KeyType.HASH), key("dueAt", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build()));
    return new SamplerTables(server, client);
  }

  public DynamoDbClient client() {
    return client;
  }

  public int count(String table) {
    return client.scan(b -> b.tableName(table)).count();
  }

  private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  @Override
  public void close() throws Exception {
    client.close();
    server.stop();
  }
}
