package io.otelpipeline.core.scrape;

import java.io.IOException;
import java.io.InputStream;

/** Expositions captured from real exporters, and edge cases, under test resources {@code expositions/}. */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] exposition(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/expositions/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture expositions/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
