package io.otelpipeline.core.spanmetrics;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What span metrics have already counted, so that nothing is counted twice: stream records whose
 * metrics were exported (a batch Lambda retries skips them), and which record each span was first
 * seen in (a duplicate span, same trace and span id, in a later record is not counted again, while
 * the same record retried still counts it).
 */
public interface SpanLedger {
  /** The records among {@code recordIds} whose metrics were already exported. */
  Set<String> exported(Collection<String> recordIds);

  /** Records that these records' metrics are exported. */
  void markExported(Collection<String> recordIds);

  /**
   * Claims spans for the records they arrived in and returns the spans ({@code traceHex:spanHex})
   * that belong to their record: first seen there, or claimed by it on an earlier attempt.
   *
   * @param spans by trace id (hex): span id (hex) to the record it arrived in
   */
  Set<String> claim(Map<String, Map<String, String>> spans);
}
