package io.otelpipeline.core.scrape;

import io.otelpipeline.core.scrape.exposition.Exposition;
import io.otelpipeline.core.scrape.exposition.ExpositionException;
import io.otelpipeline.core.scrape.exposition.ExpositionFormat;
import io.otelpipeline.core.scrape.exposition.ExpositionParser;
import io.otelpipeline.core.targets.ScrapeTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPInputStream;

/**
 * Scrapes one target over HTTP: checks the address policy (on every redirect hop too), asks for
 * OpenMetrics or the classic text format, stops at the target's timeout, refuses bodies over
 * {@code maxBytes} (decompressed), and follows at most {@value #MAX_REDIRECTS} redirects.
 */
public final class TargetScraper {
  public static final int MAX_REDIRECTS = 3;
  /** The largest exposition read, after decompression. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

  private final HttpClient http;
  private final AddressPolicy policy;
  private final int maxBytes;
  private final Clock clock;

  public TargetScraper(HttpClient http, AddressPolicy policy, int maxBytes, Clock clock) {
    this.http = http;
    this.policy = policy;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /**
   * An HTTP client for scraping: no automatic redirects (they are checked and followed here). It
   * keeps its own executor: sharing the pool whose threads block in {@code send} would leave the
   * client no thread to complete them.
   */
  public static HttpClient httpClient() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public ScrapeResult scrape(ScrapeTarget target) {
    Instant start = clock.instant();
    long t0 = System.nanoTime();
    try {
      Exposition e = fetch(target);
      return ScrapeResult.success(target, start, Duration.ofNanos(System.nanoTime() - t0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ScrapeResult.failure(target, start, Duration.ofNanos(System.nanoTime() - t0), "interrupted");
    } catch (HttpTimeoutException e) {
      return ScrapeResult.failure(target, start, Duration.ofNanos(System.nanoTime() - t0), "timed out after " + target.timeout().toMillis() + " ms");
    } catch (ExpositionException e) {
      return ScrapeResult.failure(target, start, Duration.ofNanos(System.nanoTime() - t0), "malformed exposition: " + e.getMessage());
    } catch (IOException | AddressPolicy.RefusedTargetException | IllegalArgumentException e) {
      return ScrapeResult.failure(target, start, Duration.ofNanos(System.nanoTime() - t0), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private Exposition fetch(ScrapeTarget target) throws IOException, InterruptedException, AddressPolicy.RefusedTargetException {
    URI uri = URI.create(target.url());
    long deadline = System.nanoTime() + target.timeout().toNanos();
    for (int hop = 0; ; hop++) {
      if (uri.getHost() == null) {
        throw new IOException("'" + uri + "' has no host the scraper can parse");
      }
      policy.check(uri.getHost());
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new HttpTimeoutException("deadline");
      }
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofNanos(left))
              .header("Accept", ExpositionFormat.ACCEPT_HEADER)
              .header("Accept-Encoding", "gzip")
              .header("User-Agent", "otel-pipeline-scraper")
              .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(target.timeout().toMillis() / 1000.0))
              .GET()
              .build();
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
        response.body().close();
        if (hop >= MAX_REDIRECTS) {
          throw new IOException("more than " + MAX_REDIRECTS + " redirects");
        }
        uri = uri.resolve(response.headers().firstValue("Location").get());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new IOException("redirect to unsupported scheme " + uri.getScheme());
        }
        continue;
      }
      if (status != 200) {
        response.body().close();
        throw new IOException("HTTP status " + status + " from " + uri);
      }
      boolean gzip = response.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
      byte[] body = read(gzip ? new GZIPInputStream(response.body()) : response.body());
      ExpositionFormat format = ExpositionFormat.fromContentType(response.headers().firstValue("Content-Type").orElse(null));
      return ExpositionParser.parse(body, format);
    }
  }

  private byte[] read(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBytes) {
          throw new IOException("response larger than " + maxBytes + " bytes (SCRAPE_MAX_BYTES)");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
