package io.otelpipeline.core.targets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Every target to scrape: the configuration's static targets and the table's, one per job and address. */
public final class TargetCatalog {
  private TargetCatalog() {}

  /**
   * Merges the sources; a table entry for a job and address the configuration also lists wins (it
   * is the newer word). An entry that is not a valid target is reported and left out, so one bad
   * item never stops the others from being scraped.
   */
  public static List<ScrapeTarget> merge(ScrapeConfigs configs, List<TargetEntry> entries, Consumer<String> problems) {
    Map<String, ScrapeTarget> byKey = new LinkedHashMap<>();
    for (ScrapeTarget t : configs.targets()) {
      byKey.put(t.key(), t);
    }
    for (TargetEntry e : entries) {
      try {
        ScrapeTarget t = e.resolve(configs);
        byKey.put(t.key(), t);
      } catch (InvalidTargetException ex) {
        problems.accept("targets table item job=" + e.job() + " address=" + e.address() + " skipped: " + ex.getMessage());
      }
    }
    return new ArrayList<>(byKey.values());
  }
}
