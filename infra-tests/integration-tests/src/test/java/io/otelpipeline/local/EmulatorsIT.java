package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

class EmulatorsIT {
  private static final Path HOME = Path.of(System.getProperty("local.home", "target/local"));

  @Test
  void kinesisMockTakesCborFromTheSdkAndStopsWithoutAnOrphan() throws Exception {
    KinesisMock mock = KinesisMock.start(HOME, "us-east-1");
    ProcessHandle node = ProcessHandle.of(mock.pid()).orElseThrow();
    try (KinesisClient kinesis = clients(Map.of("AWS_ENDPOINT_URL_KINESIS", mock.endpoint().toString())).kinesis()) {
      kinesis.createStream(b -> b.streamName("s").shardCount(1));
      while (kinesis.describeStreamSummary(b -> b.streamName("s")).streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE) {
        Thread.sleep(20);
      }
      kinesis.putRecord(b -> b.streamName("s").partitionKey("k").data(SdkBytes.fromUtf8String("hello")));
      String shard = kinesis.listShards(b -> b.streamName("s")).shards().get(0).shardId();
      String iterator =
          kinesis.getShardIterator(b -> b.streamName("s").shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      List<Record> records = kinesis.getRecords(b -> b.shardIterator(iterator)).records();
      assertEquals(1, records.size());
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), records.get(0).data().asByteArray());
    } finally {
      mock.close();
    }
    node.onExit().get();
    assertFalse(node.isAlive(), "node process still running after close");
    try (KinesisClient kinesis = clients(Map.of("AWS_ENDPOINT_URL_KINESIS", mock.endpoint().toString())).kinesis()) {
      assertThrows(SdkClientException.class, () -> kinesis.listStreams());
    }
  }

  @Test
  void dynamoDbLocalServesTheSdkInMemory() {
    try (DynamoDbLocal local = DynamoDbLocal.start();
        DynamoDbClient dynamo = clients(Map.of("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint().toString())).dynamoDb()) {
      dynamo.createTable(b -> b.tableName("items")
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
      assertEquals(List.of("items"), dynamo.listTables().tableNames());
    }
  }

  private static AwsClients clients(Map<String, String> endpoints) {
    Map<String, String> env = new java.util.HashMap<>(endpoints);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    return new AwsClients(new FunctionEnvironment(env));
  }
}
