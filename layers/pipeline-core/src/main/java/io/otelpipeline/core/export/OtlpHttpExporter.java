package io.otelpipeline.core.export;

import com.google.protobuf.InvalidProtocolBufferException;
import io.otelpipeline.core.otlp.OtlpJson;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.retry.Backoff;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * OTLP/HTTP with protobuf bodies. Retries only what the specification calls retryable (429, 502,
 * 503, 504 and connection failures) with exponential backoff and jitter, honouring
 * {@code Retry-After}, within the retry budget and the caller's deadline; every other refusal is
 * permanent and carries the backend's message. A circuit breaker in front fails fast while the
 * backend is down.
 */
final class OtlpHttpExporter implements SignalExporter {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpExporter.class);
  /** The least time worth a probe after waiting out the breaker's cool-down. */
  static final Duration MIN_PROBE_TIME = Duration.ofSeconds(1);
  /** How often to look again while another caller's probe is in flight. */
  static final Duration PROBE_POLL = Duration.ofMillis(200);
  private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final ExportSettings settings;
  private final Map<String, String> dimensions;
  private final HttpClient http;
  private final CircuitBreaker breaker;
  private final Optional<SigV4Signer> signer;
  private final Telemetry telemetry;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  OtlpHttpExporter(
      ExportSettings settings,
      HttpClient http,
      CircuitBreaker breaker,
      Optional<SigV4Signer> signer,
      Telemetry telemetry,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random) {
    this.settings = settings;
    this.dimensions = Map.of("exporter", settings.exporterId());
    this.http = http;
    this.breaker = breaker;
    this.signer = signer;
    this.telemetry = telemetry;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
  }

  static HttpClient httpClient(ExportSettings settings) {
    Duration connect = settings.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? settings.timeout() : Duration.ofSeconds(10);
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connect);
    settings.tls().ifPresent(tls -> TrustedCertificates.apply(tls, builder, settings.exporterId()));
    return builder.build();
  }

  @Override
  public int maxRequestBytes() {
    return settings.maxRequestBytes();
  }

  @Override
  public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount) {
    return export(signal, otlpRequest, itemCount, Instant.MAX);
  }

  @Override
  public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount, Instant deadline) {
    URI uri = settings.endpoints().get(signal);
    if (uri == null) {
      return ExportResult.permanent("no endpoint is configured for " + signal.name().toLowerCase(Locale.ROOT)
          + " (set exporters." + settings.exporterId() + "." + signal.name().toLowerCase(Locale.ROOT) + "_endpoint or endpoint)");
    }
    List<RequestSplitter.Part> parts;
    try {
      parts = RequestSplitter.split(signal, otlpRequest, itemCount, settings.maxRequestBytes());
    } catch (InvalidProtocolBufferException e) {
      return failed(signal, itemCount, ExportResult.permanent("request of " + otlpRequest.length + " bytes exceeds " + settings.maxRequestBytes()
          + " bytes and cannot be split: not a valid OTLP request: " + e.getMessage()));
    }
    ExportResult overall = ExportResult.success();
    for (RequestSplitter.Part part : parts) {
      ExportResult result = exportThroughBreaker(signal, uri, part, deadline);
      overall = overall.and(result);
      if (result.outcome() == ExportResult.Outcome.RETRYABLE) {
        break;
      }
    }
    return overall;
  }

  /**
   * Sends through the circuit breaker. While the breaker is open and the caller's deadline leaves
   * room for its cool-down and a probe, this waits for the probe instead of failing at once: a
   * stream consumer then spends an outage waiting inside one invocation, not in a rapid series of
   * failed invocations, and sends as soon as the backend is back. A caller without a deadline
   * fails at once.
   */
  private ExportResult exportThroughBreaker(Signal signal, URI uri, RequestSplitter.Part part, Instant callerDeadline) {
    while (true) {
      CircuitBreaker.Permit permit = breaker.acquire();
      if (!permit.allowed()) {
        publishBreakerState();
        Duration wait = breaker.remainingCoolDown().isZero() ? PROBE_POLL : breaker.remainingCoolDown();
        if (!waitFor(wait, callerDeadline)) {
          return failed(signal, part.itemCount(), ExportResult.retryable("circuit open: " + uri.getHost() + " failed " + settings.breakerFailures()
              + " exports in a row; next attempt in " + breaker.remainingCoolDown().toSeconds() + "s"));
        }
        continue;
      }
      ExportResult result = sendWithRetries(signal, uri, part, callerDeadline, !permit.probe());
      if (result.outcome() == ExportResult.Outcome.RETRYABLE) {
        breaker.recordFailure();
      } else {
        breaker.recordSuccess();
      }
      publishBreakerState();
      if (result.outcome() != ExportResult.Outcome.RETRYABLE || breaker.state() != CircuitBreaker.State.OPEN
          || !waitFor(breaker.remainingCoolDown(), callerDeadline)) {
        return result;
      }
    }
  }

  /** Sleeps for {@code wait} when the deadline leaves time for it and a probe after it; false when it does not. */
  private boolean waitFor(Duration wait, Instant deadline) {
    if (deadline.equals(Instant.MAX) || clock.instant().plus(wait).plus(MIN_PROBE_TIME).isAfter(deadline)) {
      return false;
    }
    try {
      sleeper.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ExportResult sendWithRetries(Signal signal, URI uri, RequestSplitter.Part part, Instant callerDeadline, boolean mayRetry) {
    Instant start = clock.instant();
    Instant budget = start.plus(settings.retry().maxElapsedTime());
    Instant deadline = budget.isBefore(callerDeadline) ? budget : callerDeadline;
    Backoff backoff = Backoff.collector(settings.retry().initialInterval(), settings.retry().maxInterval(), random);
    if (remaining(deadline).isZero()) {
      return failed(signal, part.itemCount(), ExportResult.retryable("no time left before the deadline to send to " + uri));
    }
    byte[] encoded;
    try {
      encoded = encode(signal, part.bytes());
    } catch (InvalidProtocolBufferException e) {
      return failed(signal, part.itemCount(),
          ExportResult.permanent("not a valid OTLP " + signal.name().toLowerCase(Locale.ROOT) + " request: " + e.getMessage()));
    }
    byte[] body = settings.gzip() ? gzip(encoded) : encoded;
    int attempts = 0;
    while (true) {
      attempts++;
      Attempt attempt = send(signal, uri, body, remaining(deadline));
      if (attempt.reply().isPresent() && attempt.reply().get().succeeded()) {
        BackendReply reply = attempt.reply().get();
        long rejected = Math.min(reply.rejectedItems(), part.itemCount());
        if (rejected > 0 || !reply.message().isEmpty()) {
          LOG.warn("exporter: {} accepted the request partially: rejected {} {}{}",
              uri, rejected, signal.itemName(), reply.message().isEmpty() ? "" : ": " + reply.message());
          telemetry.count(ExporterInstruments.sendFailed(signal), rejected, dimensions);
        }
        telemetry.count(ExporterInstruments.sent(signal), part.itemCount() - rejected, dimensions);
        return ExportResult.success();
      }
      if (attempt.reply().isPresent() && !attempt.reply().get().retryable()) {
        BackendReply reply = attempt.reply().get();
        return failed(signal, part.itemCount(), ExportResult.permanent("HTTP " + reply.status() + " from " + uri
            + (reply.message().isEmpty() ? "" : ": " + reply.message())));
      }
      String why = attempt.describe(uri);
      Duration wait = attempt.reply().flatMap(BackendReply::retryAfter).orElseGet(backoff::next);
      if (!settings.retry().enabled() || !mayRetry || clock.instant().plus(wait).isAfter(deadline)) {
        return failed(signal, part.itemCount(), ExportResult.retryable(why + (attempts > 1 ? " (after " + attempts + " attempts)" : "")));
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failed(signal, part.itemCount(), ExportResult.retryable(why + " (interrupted while waiting to retry)"));
      }
    }
  }

  /** One HTTP attempt: the backend's reply, or the connection failure that prevented one. */
  private record Attempt(Optional<BackendReply> reply, String failure) {
    String describe(URI uri) {
      if (reply.isPresent()) {
        BackendReply r = reply.get();
        return "HTTP " + r.status() + " from " + uri + (r.message().isEmpty() ? "" : ": " + r.message());
      }
      return "cannot reach " + uri + ": " + failure;
    }
  }

  private Attempt send(Signal signal, URI uri, byte[] body, Duration timeLeft) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", settings.encoding().contentType());
    if (settings.gzip()) {
      headers.put("Content-Encoding", "gzip");
    }
    headers.putAll(settings.headers());
    Duration timeout = timeLeft.compareTo(settings.timeout()) < 0 ? timeLeft : settings.timeout();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout.isZero() ? Duration.ofMillis(1) : timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signer.isPresent()) {
      signer.get().sign(signal, uri, headers, body).forEach((name, values) -> {
        if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(v -> request.header(name, v));
        }
      });
    } else {
      headers.forEach(request::header);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Attempt(
          Optional.of(
              BackendReply.read(
                  signal,
                  response.statusCode(),
                  response.headers().firstValue("Content-Type").orElse(""),
                  response.body() == null ? new byte[0] : response.body(),
                  response.headers().firstValue("Retry-After"),
                  clock.instant())),
          "");
    } catch (IOException e) {
      return new Attempt(Optional.empty(), e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(Optional.empty(), "interrupted");
    }
  }

  private Duration remaining(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Counts and logs an export that did not go through, so an operator sees 429s, 503s, hangs and refusals in the log. */
  private ExportResult failed(Signal signal, int items, ExportResult result) {
    telemetry.count(ExporterInstruments.sendFailed(signal), items, dimensions);
    boolean refused = result.outcome() == ExportResult.Outcome.PERMANENT;
    LOG.atLevel(refused ? Level.ERROR : Level.WARN)
        .log("exporter: {} {} not sent, {}: {}", items, signal.itemName(), refused ? "refused for good" : "to be retried", result.message());
    return result;
  }

  private void publishBreakerState() {
    telemetry.gauge(ExporterInstruments.CIRCUIT_STATE, breaker.state().gaugeValue(), dimensions);
  }

  /** The body in the configured encoding: the protobuf as it is, or its OTLP/JSON form. */
  private byte[] encode(Signal signal, byte[] protobuf) throws InvalidProtocolBufferException {
    if (settings.encoding() == ExportSettings.Encoding.PROTO) {
      return protobuf;
    }
    return OtlpJson.print(OtlpMessages.parse(signal, protobuf)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return settings.exporterId() + " exporter to " + settings.endpoints().values() + (signer.isPresent() ? " (SigV4)" : "");
  }
}
