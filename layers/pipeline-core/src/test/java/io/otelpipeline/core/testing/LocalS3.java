package io.otelpipeline.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3Proxy, a real S3 REST API over a folder, run as its own process on a free port, with a real
 * S3 client. It checks SigV4 signatures; it does not take the SDK's trailing checksums
 * (aws-chunked), so clients of it compute checksums only where S3 requires them, which is what
 * {@link #CLIENT_ENVIRONMENT} tells the SDK.
 */
public final class LocalS3 implements AutoCloseable {
  /** The jar the build copies next to a module's classes (maven-dependency-plugin, execution s3proxy). */
  public static final Path DEFAULT_JAR = Path.of("target", "s3proxy", "s3proxy.jar");
  /** The SDK's standard variables a client of this server needs beside its endpoint. */
  public static final Map<String, String> CLIENT_ENVIRONMENT =
      Map.of("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required", "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private final Process process;
  private final Path home;
  private final URI endpoint;
  private final S3Client client;

  private LocalS3(Process process, Path home, URI endpoint) {
    this.process = process;
    this.home = home;
    this.endpoint = endpoint;
    this.client = clientBuilder().build();
  }

  /** A builder of clients of this server, for a test that adds to them (an interceptor that counts requests). */
  public S3ClientBuilder clientBuilder() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create());
  }

  /** Starts S3Proxy from the jar the build copied into this module's target folder. */
  public static LocalS3 start() {
    return start(DEFAULT_JAR);
  }

  /**
   * Starts S3Proxy from {@code jar}, keeping its objects in a new temporary folder; access key and
   * secret are both "local". Returns once a signed ListBuckets is answered by that process; a
   * start that lost its port to another listener is tried again on another port.
   */
  public static LocalS3 start(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy is not at " + jar.toAbsolutePath() + ": build the module first (mvn generate-resources copies it there)");
    }
    RuntimeException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      LocalS3 s3 = startOnce(jar);
      try {
        s3.client.listBuckets();
        if (s3.process.isAlive()) {
          return s3;
        }
        last = new IllegalStateException("S3Proxy exited right after it answered on " + s3.endpoint);
      } catch (RuntimeException notS3Proxy) {
        last = notS3Proxy;
      }
      s3.close();
    }
    throw new IllegalStateException("S3Proxy did not start in " + START_ATTEMPTS + " attempts: " + last.getMessage(), last);
  }

  private static LocalS3 startOnce(Path jar) {
    int port = LocalPorts.free();
    try {
      Path home = Files.createTempDirectory("local-s3");
      Path data = Files.createDirectories(home.resolve("data"));
      Path properties = home.resolve("s3proxy.properties");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=http://127.0.0.1:" + port,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=local",
              "s3proxy.credential=local",
              "jclouds.provider=filesystem",
              "jclouds.filesystem.basedir=" + data,
              ""));
      String java = ProcessHandle.current().info().command().orElse("java");
      Process process =
          new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--properties", properties.toString()))
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("s3proxy.log").toFile())
              .start();
      try {
        LocalPorts.awaitListening("S3Proxy", process, port, START_TIMEOUT, () -> logOf(home));
      } catch (IllegalStateException e) {
        process.destroyForcibly();
        throw e;
      }
      return new LocalS3(process, home, URI.create("http://127.0.0.1:" + port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy: " + e.getMessage(), e);
    }
  }

  private static String logOf(Path home) {
    try {
      return Files.readString(home.resolve("s3proxy.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** What {@code AWS_ENDPOINT_URL_S3} is set to for a function that should use this server. */
  public URI endpoint() {
    return endpoint;
  }

  public S3Client client() {
    return client;
  }

  /** Creates the buckets. */
  public LocalS3 create(String... buckets) {
    for (String bucket : buckets) {
      client.createBucket(b -> b.bucket(bucket));
    }
    return this;
  }

  /** The keys of every object in the bucket (the folder backend also lists its folders, as keys ending in '/': left out). */
  public List<String> keys(String bucket) {
    return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).filter(k -> !k.endsWith("/")).toList();
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind
    }
  }
}
