package io.otelpipeline.local;

import io.otelpipeline.core.testing.LocalPorts;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** DynamoDB Local embedded in this JVM, in memory, on a free port. */
public final class DynamoDbLocal implements AutoCloseable {
  /** Where DynamoDB Local's SQLite native libraries are; the build of each module that starts it copies them there. */
  public static final String NATIVE_LIBRARY_PROPERTY = "sqlite4java.library.path";

  private final DynamoDBProxyServer server;
  private final URI endpoint;

  private DynamoDbLocal(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  public static DynamoDbLocal start() {
    requireNativeLibraries();
    int port = LocalPorts.free();
    try {
      DynamoDBProxyServer server =
          ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", Integer.toString(port)});
      server.start();
      return new DynamoDbLocal(server, URI.create("http://localhost:" + port));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start DynamoDB Local on port " + port + ": " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop DynamoDB Local on " + endpoint + ": " + e.getMessage(), e);
    }
  }

  private static void requireNativeLibraries() {
    String path = System.getProperty(NATIVE_LIBRARY_PROPERTY);
    if (path == null) {
      Path built = ProjectDirectory.LOCAL_RUNTIME.resolve("target").resolve("native-libs");
      Path here = Path.of("target", "native-libs");
      Path found = Files.isDirectory(built) ? built : here;
      if (!Files.isDirectory(found)) {
        throw new IllegalStateException("DynamoDB Local needs its SQLite native libraries: set -D" + NATIVE_LIBRARY_PROPERTY
            + " to their folder (the local-runtime build copies them to infra-tests/local-runtime/target/native-libs; run mvn install first)");
      }
      System.setProperty(NATIVE_LIBRARY_PROPERTY, found.toAbsolutePath().toString());
    } else if (!Files.isDirectory(Path.of(path))) {
      throw new IllegalStateException(NATIVE_LIBRARY_PROPERTY + "=" + path
          + " is not a folder; the local-runtime build copies DynamoDB Local's native libraries to infra-tests/local-runtime/target/native-libs");
    }
  }
}
