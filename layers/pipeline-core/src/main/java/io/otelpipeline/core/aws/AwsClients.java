package io.otelpipeline.core.aws;

import io.otelpipeline.core.config.FunctionEnvironment;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds AWS SDK clients from a function's environment: region and credentials as Lambda provides
 * them, and, for the local stack, endpoint overrides through the SDK's standard variables
 * ({@code AWS_ENDPOINT_URL_KINESIS}, {@code AWS_ENDPOINT_URL_DYNAMODB}, ... or {@code AWS_ENDPOINT_URL}).
 */
public final class AwsClients {
  private final FunctionEnvironment env;
  private final Map<Class<?>, Object> built = new HashMap<>();

  public AwsClients(FunctionEnvironment env) {
    this.env = env;
  }

  /**
   * Each client is built at its first use and then shared: SDK clients are thread-safe and costly to
   * build. Building a client asks for the credentials, which are built once the same way, so this
   * must allow a build within a build (a ConcurrentHashMap's computeIfAbsent does not).
   */
  private synchronized <C> C once(Class<C> type, Supplier<C> build) {
    Object existing = built.get(type);
    if (existing == null) {
      existing = build.get();
      built.put(type, existing);
    }
    return type.cast(existing);
  }

  public KinesisClient kinesis() {
    return once(KinesisClient.class, () -> configure(KinesisClient.builder(), "KINESIS").build());
  }

  public DynamoDbClient dynamoDb() {
    return once(DynamoDbClient.class, () -> configure(DynamoDbClient.builder(), "DYNAMODB").build());
  }

  /**
   * The SDK reads {@code AWS_REQUEST_CHECKSUM_CALCULATION} and {@code AWS_RESPONSE_CHECKSUM_VALIDATION}
   * from the process environment only; they are taken from the function's environment too, where
   * the local stack sets them for its S3 server.
   */
  public S3Client s3() {
    return once(S3Client.class, this::buildS3);
  }

  private S3Client buildS3() {
    S3ClientBuilder builder = configure(S3Client.builder(), "S3").forcePathStyle(endpoint("S3").isPresent());
    env.get("AWS_REQUEST_CHECKSUM_CALCULATION")
        .ifPresent(v -> builder.requestChecksumCalculation(RequestChecksumCalculation.valueOf(v.trim().toUpperCase(Locale.ROOT))));
    env.get("AWS_RESPONSE_CHECKSUM_VALIDATION")
        .ifPresent(v -> builder.responseChecksumValidation(ResponseChecksumValidation.valueOf(v.trim().toUpperCase(Locale.ROOT))));
    return builder.build();
  }

  public LambdaClient lambda() {
    return once(LambdaClient.class, () -> configure(LambdaClient.builder(), "LAMBDA").build());
  }

  public SecretsManagerClient secretsManager() {
    return once(SecretsManagerClient.class, () -> configure(SecretsManagerClient.builder(), "SECRETS_MANAGER").build());
  }

  public SsmClient ssm() {
    return once(SsmClient.class, () -> configure(SsmClient.builder(), "SSM").build());
  }

  public CloudWatchClient cloudWatch() {
    return once(CloudWatchClient.class, () -> configure(CloudWatchClient.builder(), "CLOUDWATCH").build());
  }

  public Region region() {
    return Region.of(env.get("AWS_REGION").or(() -> env.get("AWS_DEFAULT_REGION")).orElse("us-east-1"));
  }

  public AwsCredentialsProvider credentials() {
    return once(AwsCredentialsProvider.class, this::buildCredentials);
  }

  private AwsCredentialsProvider buildCredentials() {
    Optional<String> key = env.get("AWS_ACCESS_KEY_ID");
    Optional<String> secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (key.isPresent() && secret.isPresent() && env.get("AWS_SESSION_TOKEN").isEmpty()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.get(), secret.get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private Optional<String> endpoint(String service) {
    return env.get("AWS_ENDPOINT_URL_" + service).or(() -> env.get("AWS_ENDPOINT_URL"));
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
    builder.region(region()).credentialsProvider(credentials());
    endpoint(service).ifPresent(e -> builder.endpointOverride(URI.create(e)));
    builder.overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30)).build());
    if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)));
    }
    return builder;
  }
}
