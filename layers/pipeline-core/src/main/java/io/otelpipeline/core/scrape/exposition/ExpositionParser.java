package io.otelpipeline.core.scrape.exposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses the Prometheus text format (0.0.4) and OpenMetrics text. Every error names the line and
 * the problem; a parse either yields the whole exposition or fails, as Prometheus does, so that a
 * half-read scrape never looks like a target whose series vanished.
 */
public final class ExpositionParser {
  /** The longest exemplar label set OpenMetrics allows, in characters of names and values together. */
  public static final int MAX_EXEMPLAR_LABEL_CHARS = 128;

  private final String text;
  private final ExpositionFormat format;
  private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();
  private FamilyBuilder current;
  private int lineNumber;
  private int pos;
  private int end;

  private ExpositionParser(String text, ExpositionFormat format) {
    this.text = text;
    this.format = format;
  }

  public static Exposition parse(byte[] body, ExpositionFormat format) {
    return parse(new String(body, StandardCharsets.UTF_8), format);
  }

  public static Exposition parse(String text, ExpositionFormat format) {
    return new ExpositionParser(text, format).run();
  }

  private Exposition run() {
    boolean eof = false;
    int start = 0;
    int length = text.length();
    while (start < length) {
      int newline = text.indexOf('\n', start);
      int lineEnd = newline < 0 ? length : newline;
      lineNumber++;
      if (eof) {
        throw error("content after # EOF");
      }
      pos = start;
      end = lineEnd;
      if (format == ExpositionFormat.PROMETHEUS_TEXT && end > pos && text.charAt(end - 1) == '\r') {
        end--;
      }
      eof = line();
      start = lineEnd + 1;
    }
    if (format == ExpositionFormat.OPENMETRICS && !eof) {
      throw new ExpositionException(Math.max(lineNumber, 1), "OpenMetrics exposition does not end with # EOF");
    }
    List<MetricFamily> out = new ArrayList<>(families.size());
    for (FamilyBuilder f : families.values()) {
      out.add(f.build());
    }
    return new Exposition(format, out);
  }

  /** Handles one line; true when it was OpenMetrics' {@code # EOF}. */
  private boolean line() {
    if (format == ExpositionFormat.PROMETHEUS_TEXT) {
      skipBlanks();
      if (pos == end) {
        return false;
      }
    } else if (pos == end) {
      throw error("empty line (OpenMetrics allows none)");
    }
    if (text.charAt(pos) == '#') {
      return comment();
    }
    sample();
    return false;
  }

  private boolean comment() {
    pos++;
    if (format == ExpositionFormat.OPENMETRICS && pos == end) {
      throw error("'#' alone is not an OpenMetrics line");
    }
    if (pos == end || (text.charAt(pos) != ' ' && text.charAt(pos) != '\t')) {
      if (format == ExpositionFormat.OPENMETRICS) {
        throw error("a comment must start with '# ' followed by HELP, TYPE, UNIT or EOF");
      }
      return false;
    }
    skipBlanks();
    int keywordStart = pos;
    while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
      pos++;
    }
    String keyword = text.substring(keywordStart, pos);
    switch (keyword) {
      case "HELP" -> help();
      case "TYPE" -> type();
      case "UNIT" -> {
        if (format == ExpositionFormat.OPENMETRICS) {
          unit();
        }
      }
      case "EOF" -> {
        if (format == ExpositionFormat.OPENMETRICS) {
          if (pos != end) {
            throw error("# EOF must be alone on its line");
          }
          return true;
        }
      }
      default -> {
        if (format == ExpositionFormat.OPENMETRICS) {
          throw error("unknown comment '# " + keyword + "' (OpenMetrics allows HELP, TYPE, UNIT and EOF)");
        }
      }
    }
    return false;
  }

  private void help() {
    String name = metadataName("HELP");
    if (pos < end) {
      pos++;
    }
    String help = unescapeHelp(text.substring(pos, end));
    FamilyBuilder f = family(name, "HELP");
    if (f.help != null) {
      throw error("second HELP line for metric family " + name);
    }
    f.help = help;
  }

  private void type() {
    String name = metadataName("TYPE");
    skipBlanks();
    String token = text.substring(pos, end).strip();
    MetricType type = MetricType.fromToken(token, format);
    if (type == null) {
      throw error("unknown metric type '" + token + "' for " + name);
    }
    FamilyBuilder f = family(name, "TYPE");
    if (f.typeDeclared) {
      throw error("second TYPE line for metric family " + name);
    }
    if (!f.samples.isEmpty()) {
      throw error("TYPE line for " + name + " after its samples");
    }
    f.type = type;
    f.typeDeclared = true;
  }

  private void unit() {
    String name = metadataName("UNIT");
    if (pos < end) {
      pos++;
    }
    String unit = text.substring(pos, end);
    if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
      throw error("unit '" + unit + "' is not a suffix of the metric family name " + name);
    }
    FamilyBuilder f = family(name, "UNIT");
    if (f.unit != null) {
      throw error("second UNIT line for metric family " + name);
    }
    f.unit = unit;
  }

  private String metadataName(String keyword) {
    if (pos == end || (text.charAt(pos) != ' ' && text.charAt(pos) != '\t')) {
      throw error("# " + keyword + " needs a metric name");
    }
    skipBlanks();
    String name = metricName();
    if (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
      throw error("invalid character '" + text.charAt(pos) + "' in metric name " + name + text.charAt(pos));
    }
    return name;
  }

  /** The family for a metadata line, created when first named; OpenMetrics forbids reopening a finished one. */
  private FamilyBuilder family(String name, String keyword) {
    FamilyBuilder f = families.get(name);
    if (f == null) {
      f = new FamilyBuilder(name, MetricType.UNKNOWN);
      families.put(name, f);
    } else if (format == ExpositionFormat.OPENMETRICS && f != current) {
      throw error("# " + keyword + " for metric family " + name + " after other families (families must not be interleaved)");
    }
    current = f;
    return f;
  }

  private void sample() {
    String name = metricName();
    List<Label> labels = List.of();
    if (pos < end && text.charAt(pos) == '{') {
      pos++;
      labels = labels("sample " + name);
    }
    requireBlank("a value after " + name);
    double value = number("value of " + name);
    OptionalLong timestamp = OptionalLong.empty();
    Optional<Exemplar> exemplar = Optional.empty();
    skipBlanks();
    if (pos < end && text.charAt(pos) != '#') {
      timestamp = OptionalLong.of(timestampMillis(name));
      skipBlanks();
    }
    if (pos < end && text.charAt(pos) == '#') {
      if (format != ExpositionFormat.OPENMETRICS) {
        throw error("unexpected '#' after the value of " + name + " (exemplars need OpenMetrics)");
      }
      exemplar = Optional.of(exemplar(name));
    }
    if (pos != end) {
      throw error("unexpected text '" + text.substring(pos, end) + "' after the value of " + name);
    }
    attach(new Sample(name, labels, value, timestamp, exemplar));
  }

  private void attach(Sample s) {
    String name = s.name();
    FamilyBuilder f = families.get(name);
    String suffix = "";
    if (f == null || !f.type.acceptsBareName(format)) {
      FamilyBuilder bySuffix = null;
      for (String candidate : SUFFIXES) {
        if (name.endsWith(candidate)) {
          FamilyBuilder base = families.get(name.substring(0, name.length() - candidate.length()));
          if (base != null && base.type.suffixes().contains(candidate)) {
            bySuffix = base;
            suffix = candidate;
            break;
          }
        }
      }
      if (bySuffix != null) {
        f = bySuffix;
      } else if (f == null) {
        f = new FamilyBuilder(name, MetricType.UNKNOWN);
        families.put(name, f);
      } else {
        throw error("sample " + name + " does not fit the " + f.type.name().toLowerCase(java.util.Locale.ROOT) + " family " + f.name);
      }
    }
    if (format == ExpositionFormat.OPENMETRICS && f != current && !f.samples.isEmpty()) {
      throw error("sample " + name + " of metric family " + f.name + " after other families (families must not be interleaved)");
    }
    current = f;
    if (suffix.equals("_bucket") && s.label("le") == null) {
      throw error("histogram bucket " + name + " has no 'le' label");
    }
    if (f.type == MetricType.SUMMARY && suffix.isEmpty() && s.label("quantile") == null) {
      throw error("summary sample " + name + " has no 'quantile' label");
    }
    if (f.type == MetricType.STATESET && s.label(f.name) == null) {
      throw error("stateset sample " + name + " has no '" + f.name + "' label naming its state");
    }
    f.samples.add(s);
  }

  private static final List<String> SUFFIXES = List.of("_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info");

  private List<Label> labels(String owner) {
    List<Label> labels = new ArrayList<>(4);
    while (true) {
      skipBlanksInLabels();
      if (pos >= end) {
        throw error("labels of " + owner + " are not closed with '}'");
      }
      if (text.charAt(pos) == '}') {
        pos++;
        return labels;
      }
      String labelName = labelName(owner);
      skipBlanksInLabels();
      if (pos >= end || text.charAt(pos) != '=') {
        throw error("expected '=' after label " + labelName + " of " + owner);
      }
      pos++;
      skipBlanksInLabels();
      if (pos >= end || text.charAt(pos) != '"') {
        throw error("value of label " + labelName + " of " + owner + " must be in double quotes");
      }
      pos++;
      String value = labelValue(labelName, owner);
      for (Label l : labels) {
        if (l.name().equals(labelName)) {
          throw error("label " + labelName + " repeated in " + owner);
        }
      }
      labels.add(new Label(labelName, value));
      skipBlanksInLabels();
      if (pos < end && text.charAt(pos) == ',') {
        pos++;
        if (format == ExpositionFormat.OPENMETRICS && pos < end && text.charAt(pos) == '}') {
          throw error("trailing ',' in the labels of " + owner);
        }
      } else if (pos < end && text.charAt(pos) != '}') {
        throw error("expected ',' or '}' after label " + labelName + " of " + owner + ", found '" + text.charAt(pos) + "'");
      }
    }
  }

  private String labelName(String owner) {
    int start = pos;
    if (pos < end && isNameStart(text.charAt(pos)) && text.charAt(pos) != ':') {
      pos++;
      while (pos < end && isLabelChar(text.charAt(pos))) {
        pos++;
      }
    }
    if (pos == start) {
      throw error("invalid label name at '" + text.substring(pos, Math.min(end, pos + 16)) + "' in " + owner);
    }
    return text.substring(start, pos);
  }

  private String labelValue(String labelName, String owner) {
    StringBuilder out = null;
    int start = pos;
    while (pos < end) {
      char c = text.charAt(pos);
      if (c == '"') {
        String value = out == null ? text.substring(start, pos) : out.append(text, start, pos).toString();
        pos++;
        return value;
      }
      if (c == '\\') {
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(text, start, pos);
        if (pos + 1 >= end) {
          break;
        }
        char escaped = text.charAt(pos + 1);
        switch (escaped) {
          case '\\' -> out.append('\\');
          case '"' -> out.append('"');
          case 'n' -> out.append('\n');
          default -> throw error("invalid escape '\\" + escaped + "' in the value of label " + labelName + " of " + owner);
        }
        pos += 2;
        start = pos;
        continue;
      }
      pos++;
    }
    throw error("value of label " + labelName + " of " + owner + " is not closed with '\"'");
  }

  private String metricName() {
    int start = pos;
    if (pos < end && isNameStart(text.charAt(pos))) {
      pos++;
      while (pos < end && isNameChar(text.charAt(pos))) {
        pos++;
      }
    }
    if (pos == start) {
      throw error("invalid metric name at '" + text.substring(pos, Math.min(end, pos + 16)) + "'");
    }
    return text.substring(start, pos);
  }

  private double number(String what) {
    int start = pos;
    while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
      pos++;
    }
    String token = text.substring(start, pos);
    return parseDouble(token, what);
  }

  private double parseDouble(String token, String what) {
    if (token.isEmpty()) {
      throw error("missing " + what);
    }
    switch (token.toLowerCase(java.util.Locale.ROOT)) {
      case "+inf", "inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {}
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || c == '_')) {
        throw error(what + " '" + token + "' is not a number");
      }
    }
    try {
      return Double.parseDouble(token.indexOf('_') >= 0 ? token.replace("_", "") : token);
    } catch (NumberFormatException e) {
      throw error(what + " '" + token + "' is not a number");
    }
  }

  private long timestampMillis(String name) {
    int start = pos;
    while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
      pos++;
    }
    String token = text.substring(start, pos);
    if (format == ExpositionFormat.PROMETHEUS_TEXT) {
      try {
        return Long.parseLong(token);
      } catch (NumberFormatException e) {
        throw error("timestamp '" + token + "' of " + name + " is not an integer of milliseconds");
      }
    }
    double seconds = parseDouble(token, "timestamp of " + name);
    if (!Double.isFinite(seconds)) {
      throw error("timestamp '" + token + "' of " + name + " is not finite");
    }
    return Math.round(seconds * 1000.0);
  }

  private Exemplar exemplar(String name) {
    pos++;
    if (pos >= end || text.charAt(pos) != ' ') {
      throw error("exemplar of " + name + " must start with '# {'");
    }
    skipBlanks();
    if (pos >= end || text.charAt(pos) != '{') {
      throw error("exemplar of " + name + " must start with '# {'");
    }
    pos++;
    List<Label> labels = labels("exemplar of " + name);
    int chars = 0;
    for (Label l : labels) {
      chars += l.name().codePointCount(0, l.name().length()) + l.value().codePointCount(0, l.value().length());
    }
    if (chars > MAX_EXEMPLAR_LABEL_CHARS) {
      throw error("exemplar labels of " + name + " have " + chars + " characters, more than the " + MAX_EXEMPLAR_LABEL_CHARS + " allowed");
    }
    requireBlank("a value in the exemplar of " + name);
    double value = number("exemplar value of " + name);
    skipBlanks();
    OptionalLong ts = OptionalLong.empty();
    if (pos < end) {
      int start = pos;
      while (pos < end && text.charAt(pos) != ' ') {
        pos++;
      }
      double seconds = parseDouble(text.substring(start, pos), "exemplar timestamp of " + name);
      ts = OptionalLong.of(Math.round(seconds * 1e9));
    }
    return new Exemplar(labels, value, ts);
  }

  private void requireBlank(String what) {
    if (pos >= end || (text.charAt(pos) != ' ' && text.charAt(pos) != '\t')) {
      if (pos < end) {
        throw error("unexpected '" + text.charAt(pos) + "' where " + what + " should follow a space");
      }
      throw error("missing " + what);
    }
    skipBlanks();
  }

  private void skipBlanks() {
    while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private void skipBlanksInLabels() {
    if (format == ExpositionFormat.PROMETHEUS_TEXT) {
      skipBlanks();
    }
  }

  private String unescapeHelp(String raw) {
    if (raw.indexOf('\\') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        char next = raw.charAt(i + 1);
        if (next == '\\' || next == 'n' || (next == '"' && format == ExpositionFormat.OPENMETRICS)) {
          out.append(next == 'n' ? '\n' : next);
          i++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  private static boolean isLabelChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
  }

  private ExpositionException error(String problem) {
    return new ExpositionException(lineNumber, problem);
  }

  private static final class FamilyBuilder {
    final String name;
    MetricType type;
    boolean typeDeclared;
    String help;
    String unit;
    final List<Sample> samples = new ArrayList<>();

    FamilyBuilder(String name, MetricType type) {
      this.name = name;
      this.type = type;
    }

    MetricFamily build() {
      return new MetricFamily(name, type, help == null ? "" : help, unit == null ? "" : unit, samples);
    }
  }
}
