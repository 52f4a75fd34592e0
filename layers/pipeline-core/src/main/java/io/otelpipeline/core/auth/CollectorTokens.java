package io.otelpipeline.core.auth;

import io.otelpipeline.core.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each external collector's own bearer tokens, from {@code id=token,id2=token2} (an id may appear
 * more than once while its token is rotated). Checked as {@link BearerTokens} check theirs: by
 * digest, in constant time.
 */
public final class CollectorTokens implements CollectorCredentials {
  private final Map<String, BearerTokens> byCollector;

  private CollectorTokens(Map<String, BearerTokens> byCollector) {
    this.byCollector = Map.copyOf(byCollector);
  }

  /** Parses {@code id=token,...}; an entry without both an id and a token is refused, naming the entry's position. */
  public static CollectorTokens parse(String text, String where) {
    Map<String, List<String>> tokens = new LinkedHashMap<>();
    String[] entries = text == null ? new String[0] : text.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new ConfigException(where + ": entry " + (i + 1) + " is not of the form collector_id=token");
      }
      tokens.computeIfAbsent(entry.substring(0, eq).trim(), k -> new ArrayList<>()).add(entry.substring(eq + 1).trim());
    }
    Map<String, BearerTokens> byCollector = new LinkedHashMap<>();
    tokens.forEach((id, t) -> byCollector.put(id, BearerTokens.of(t)));
    return new CollectorTokens(byCollector);
  }

  public boolean isEmpty() {
    return byCollector.isEmpty();
  }

  @Override
  public boolean accepts(String collectorId, String authorizationHeader) {
    BearerTokens tokens = byCollector.get(collectorId);
    return tokens != null && tokens.accepts(authorizationHeader);
  }
}
