package io.otelpipeline.core.targets;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One endpoint to scrape, with the settings of its job. {@code address} is {@code host:port};
 * {@code labels} are the target labels added to every series (besides {@code job} and
 * {@code instance}).
 */
public record ScrapeTarget(
    String job,
    String address,
    Map<String, String> labels,
    String scheme,
    String metricsPath,
    Map<String, List<String>> params,
    Duration interval,
    Duration timeout,
    boolean honorLabels,
    TargetSource source) {
  /** Prometheus' default scrape interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  /** Prometheus' default scrape timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** Scraping faster than this is refused: every scrape is an HTTP request and an export. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern JOB = Pattern.compile("[^\\s/?#]{1,128}");
  private static final Pattern HOST = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?)");

  public ScrapeTarget {
    labels = Map.copyOf(new TreeMap<>(labels));
    params = Map.copyOf(params);
    validate(job, address, labels, scheme, metricsPath, interval, timeout);
  }

  /** A target with Prometheus' defaults: http, /metrics, 1m interval, 10s timeout. */
  public static ScrapeTarget of(String job, String address, Map<String, String> labels, Duration interval, TargetSource source) {
    return new ScrapeTarget(job, address, labels, "http", "/metrics", Map.of(), interval, min(DEFAULT_TIMEOUT, interval), false, source);
  }

  /** The target's identity across sources: the same job and address are the same target. */
  public String key() {
    return job + "/" + address;
  }

  /** {@code instance}, as Prometheus sets it: the address. */
  public String instance() {
    return address;
  }

  public String url() {
    StringBuilder url = new StringBuilder(scheme).append("://").append(address).append(metricsPath);
    char sep = metricsPath.contains("?") ? '&' : '?';
    for (Map.Entry<String, List<String>> p : new TreeMap<>(params).entrySet()) {
      for (String v : p.getValue()) {
        url.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return url.toString();
  }

  public String host() {
    return address.substring(0, address.lastIndexOf(':'));
  }

  public int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void validate(String job, String address, Map<String, String> labels, String scheme, String metricsPath, Duration interval, Duration timeout) {
    if (job == null || !JOB.matcher(job).matches()) {
      throw new InvalidTargetException("job", "'" + job + "' must be 1 to 128 characters without spaces, '/', '?' or '#'");
    }
    validateAddress(address);
    for (String name : labels.keySet()) {
      if (!LABEL_NAME.matcher(name).matches()) {
        throw new InvalidTargetException("labels", "'" + name + "' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)");
      }
      if (name.startsWith("__")) {
        throw new InvalidTargetException("labels", "'" + name + "' starts with '__', which is reserved");
      }
      if (name.equals("job") || name.equals("instance")) {
        throw new InvalidTargetException("labels", "'" + name + "' is set from the target itself");
      }
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidTargetException("scheme", "'" + scheme + "' must be http or https");
    }
    if (!metricsPath.startsWith("/")) {
      throw new InvalidTargetException("metrics_path", "'" + metricsPath + "' must start with '/'");
    }
    if (interval == null || interval.compareTo(MIN_INTERVAL) < 0) {
      throw new InvalidTargetException("interval", (interval == null ? "missing" : "'" + interval + "'") + " must be at least " + MIN_INTERVAL.toSeconds() + "s");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
      throw new InvalidTargetException("scrape_timeout", "'" + timeout + "' must be positive and not longer than the interval " + interval);
    }
  }

  /** The scraper builds its URL with {@link URI}: a host it cannot parse there is no host at all. */
  private static boolean hasUriHost(String address) {
    try {
      return new URI("http://" + address + "/").getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Checks {@code host:port}: a DNS name, IPv4 address or bracketed IPv6 address, and a port from 1 to 65535. */
  public static void validateAddress(String address) {
    if (address == null || address.isBlank()) {
      throw new InvalidTargetException("address", "missing (expected host:port)");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || address.contains("/") || address.contains("://")) {
      throw new InvalidTargetException("address", "'" + address + "' must be host:port, without scheme or path");
    }
    String host = address.substring(0, colon);
    if (!HOST.matcher(host).matches()) {
      throw new InvalidTargetException("address", "'" + address + "': '" + host + "' is not a valid host name or address");
    }
    if (!hasUriHost(address)) {
      throw new InvalidTargetException("address", "'" + address + "': '" + host + "' is neither a host name (labels of letters, digits"
          + " and '-', the last starting with a letter) nor an IPv4 address of four decimal numbers from 0 to 255");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InvalidTargetException("address", "'" + address + "': port must be a number from 1 to 65535");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidTargetException("address", "'" + address + "': port must be a number from 1 to 65535");
    }
  }
}
