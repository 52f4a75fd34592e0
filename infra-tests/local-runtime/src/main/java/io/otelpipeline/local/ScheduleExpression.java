package io.otelpipeline.local;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression, {@code rate(5 minutes)} or {@code cron(0/5 * * * ? *)}
 * (minutes, hours, day of month, month, day of week with 1 = Sunday, year; UTC).
 */
public final class ScheduleExpression {
  private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final int SEARCH_DAYS = 366 * 5;

  private final String text;
  private final Optional<Duration> rate;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final BitSet years;

  private ScheduleExpression(String text, Optional<Duration> rate, BitSet[] fields) {
    this.text = text;
    this.rate = rate;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.daysOfMonth = fields[2];
    this.months = fields[3];
    this.daysOfWeek = fields[4];
    this.years = fields[5];
  }

  public static ScheduleExpression parse(String expression, String where) {
    String text = expression.trim();
    Matcher rate = RATE.matcher(text);
    if (rate.matches()) {
      long value = Long.parseLong(rate.group(1));
      if (value < 1) {
        throw new TemplateException(where + ": " + text + ": the rate must be at least 1");
      }
      Duration unit = switch (rate.group(2).replaceAll("s$", "")) {
        case "minute" -> Duration.ofMinutes(1);
        case "hour" -> Duration.ofHours(1);
        default -> Duration.ofDays(1);
      };
      return new ScheduleExpression(text, Optional.of(unit.multipliedBy(value)), new BitSet[6]);
    }
    Matcher cron = CRON.matcher(text);
    if (!cron.matches()) {
      throw new TemplateException(where + ": '" + text + "' is neither rate(N minutes|hours|days) nor cron(...)");
    }
    String[] parts = cron.group(1).trim().split("\\s+");
    if (parts.length != 6) {
      throw new TemplateException(where + ": " + text + " must have 6 fields (minutes hours day-of-month month day-of-week year)");
    }
    if (!parts[2].equals("?") && !parts[4].equals("?")) {
      throw new TemplateException(where + ": " + text + ": one of day-of-month and day-of-week must be '?'");
    }
    BitSet[] fields = {
      field(parts[0], 0, 59, List.of(), where, text),
      field(parts[1], 0, 23, List.of(), where, text),
      field(parts[2], 1, 31, List.of(), where, text),
      field(parts[3], 1, 12, MONTHS, where, text),
      field(parts[4], 1, 7, DAYS, where, text),
      field(parts[5], 1970, 2199, List.of(), where, text)
    };
    return new ScheduleExpression(text, Optional.empty(), fields);
  }

  /** The first time strictly after {@code after} at which the schedule fires; rates count from {@code after}. */
  public Instant next(Instant after) {
    if (rate.isPresent()) {
      return after.plus(rate.get());
    }
    LocalDateTime start = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDate day = start.toLocalDate();
    for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
      if (!matches(day)) {
        continue;
      }
      for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
        for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
          LocalDateTime candidate = day.atTime(h, m);
          if (!candidate.isBefore(start)) {
            return candidate.toInstant(ZoneOffset.UTC);
          }
        }
      }
    }
    throw new IllegalStateException(text + " does not fire within " + SEARCH_DAYS + " days of " + after);
  }

  private boolean matches(LocalDate day) {
    int dayOfWeek = day.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : day.getDayOfWeek().getValue() + 1;
    return years.get(day.getYear()) && months.get(day.getMonthValue()) && daysOfMonth.get(day.getDayOfMonth()) && daysOfWeek.get(dayOfWeek);
  }

  private static BitSet field(String spec, int min, int max, List<String> names, String where, String text) {
    BitSet set = new BitSet();
    if (spec.equals("?") || spec.equals("*")) {
      set.set(min, max + 1);
      return set;
    }
    for (String item : spec.split(",")) {
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = value(item.substring(slash + 1), 1, max, List.of(), where, text);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        from = value(range.substring(0, range.indexOf('-')), min, max, names, where, text);
        to = value(range.substring(range.indexOf('-') + 1), min, max, names, where, text);
      } else {
        from = value(range, min, max, names, where, text);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int value(String token, int min, int max, List<String> names, String where, String text) {
    int named = names.indexOf(token.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + 1;
    }
    try {
      int v = Integer.parseInt(token);
      if (v < min || v > max) {
        throw new TemplateException(where + ": " + text + ": " + v + " is outside " + min + "-" + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new TemplateException(where + ": " + text + ": '" + token + "' is not supported locally (numbers, names, ranges, lists, steps, * and ? are)");
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
