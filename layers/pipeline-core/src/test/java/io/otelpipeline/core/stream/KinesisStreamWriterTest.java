package io.otelpipeline.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.partition.PackedRecord;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** A PutRecords call in flight is bounded by the request's deadline, not by the client's 30 s timeout. */
class KinesisStreamWriterTest {
  /** The client's own API timeout is 30 s: finishing at all within 15 s shows the 1 s deadline bounded the call. */
  @Test
  @Timeout(15)
  void aStalledStreamFailsTheWriteByTheDeadlineWithTheRecordsUnwritten() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer stalled = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stalled.setExecutor(Executors.newCachedThreadPool());
    stalled.createContext("/", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    stalled.start();
    try (KinesisClient kinesis = new AwsClients(new FunctionEnvironment(Map.of(
        "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
        "AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:" + stalled.getAddress().getPort()))).kinesis()) {
      Clock clock = Clock.systemUTC();
      KinesisStreamWriter writer = new KinesisStreamWriter(kinesis, clock, d -> {}, (n, r, s) -> true);
      PackedRecord record = new PackedRecord("0af7651916cd43dd8448eb211c80319c", BigInteger.ONE, new byte[] {1, 2, 3}, 4);

      WriteOutcome outcome = writer.write("traces", List.of(record), clock.instant().plus(Duration.ofSeconds(1)));

      assertFalse(outcome.complete(), "the write gives up at the deadline instead of waiting for the stalled call");
      assertEquals(1, outcome.recordsFailed());
      assertEquals(4, outcome.itemsFailed());
      assertTrue(outcome.lastError().contains("ApiCallTimeoutException") || outcome.lastError().contains("no time left"), outcome.lastError());
    } finally {
      release.countDown();
      stalled.stop(0);
    }
  }
}
