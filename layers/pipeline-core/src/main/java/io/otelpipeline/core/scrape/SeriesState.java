package io.otelpipeline.core.scrape;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What a target's cumulative series looked like at its last scrape: per series (a 64-bit hash of
 * name and labels) its start time and last value, so that the next scrape, in another invocation,
 * keeps start times and notices resets. Series absent from a successful scrape are forgotten.
 * Encoded as gzipped 24-byte entries: a thousand series take a few kilobytes.
 */
public final class SeriesState {
  private record Entry(long startMillis, double lastValue) {}

  private final Map<Long, Entry> previous;
  private final Map<Long, Entry> next = new HashMap<>();
  private final long lastScrapeMillis;

  private SeriesState(Map<Long, Entry> previous, long lastScrapeMillis) {
    this.previous = previous;
    this.lastScrapeMillis = lastScrapeMillis;
  }

  public static SeriesState empty() {
    return new SeriesState(Map.of(), 0);
  }

  /** When this target was last scraped (epoch millis), 0 if never. */
  public long lastScrapeMillis() {
    return lastScrapeMillis;
  }

  /**
   * The start time for a cumulative point: the series' known start, unless the value went down
   * (the process restarted: the series starts again just before this point) or the series is new
   * (it starts at this point, as the Collector's Prometheus receiver does).
   */
  public long startMillis(long seriesHash, double value, long timestampMillis) {
    Entry seen = previous.get(seriesHash);
    long start;
    if (seen == null) {
      start = timestampMillis;
    } else if (value < seen.lastValue()) {
      start = timestampMillis - 1;
    } else {
      start = seen.startMillis();
    }
    next.put(seriesHash, new Entry(start, value));
    return start;
  }

  /** Records a start time the exposition gave ({@code _created}). */
  public void created(long seriesHash, long startMillis, double value) {
    next.put(seriesHash, new Entry(startMillis, value));
  }

  /** The state to store after a successful scrape at {@code scrapeMillis}: only the series it saw. */
  public byte[] encodeAfterScrape() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + next.size() * 12);
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
      out.writeInt(next.size());
      for (Map.Entry<Long, Entry> e : next.entrySet()) {
        out.writeLong(e.getKey());
        out.writeLong(e.getValue().startMillis());
        out.writeDouble(e.getValue().lastValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public int seriesSeen() {
    return next.size();
  }

  public static SeriesState decode(byte[] encoded, long lastScrapeMillis) {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(encoded)))) {
      int n = in.readInt();
      Map<Long, Entry> entries = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        entries.put(in.readLong(), new Entry(in.readLong(), in.readDouble()));
      }
      return new SeriesState(entries, lastScrapeMillis);
    } catch (IOException e) {
      throw new UncheckedIOException("series state is not readable", e);
    }
  }
}
