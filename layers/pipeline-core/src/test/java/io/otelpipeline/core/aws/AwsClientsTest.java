package io.otelpipeline.core.aws;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.otelpipeline.core.config.FunctionEnvironment;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each SDK client is built once per set of clients, whatever order they are first asked for in. */
class AwsClientsTest {
  private static final Map<String, String> ENV = Map.of(
      "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_ENDPOINT_URL", "http://127.0.0.1:1");

  @Test
  void everyClientIsBuiltOnceAndSharedWhileItsBuildAsksForTheCredentials() {
    List<Function<AwsClients, Object>> clients = List.of(
        AwsClients::kinesis, AwsClients::dynamoDb, AwsClients::s3, AwsClients::lambda, AwsClients::secretsManager,
        AwsClients::ssm, AwsClients::cloudWatch, AwsClients::credentials);
    AwsClients aws = new AwsClients(new FunctionEnvironment(ENV));
    for (Function<AwsClients, Object> client : clients) {
      assertSame(client.apply(aws), client.apply(aws));
    }
  }
}
