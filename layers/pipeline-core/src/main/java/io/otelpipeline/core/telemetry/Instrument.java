package io.otelpipeline.core.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A metric of a function's own telemetry, declared once where its domain lives: its name, the unit
 * of its values, what it means, and the dimension keys it is recorded with. Call sites record
 * through {@link Telemetry} with the instrument, never with its name; a recording whose dimension
 * keys are not the declared ones fails at once, naming the instrument.
 *
 * <p>Most instruments have one set of dimension keys. A few of the Collector's names are recorded by
 * several components with different keys, and each set is a metric of its own in CloudWatch; the
 * declaration lists every set, as an EMF document does ({@link Builder#orDimensions}).
 */
public abstract sealed class Instrument permits Counter, Gauge, Distribution {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private final String name;
  private final Unit unit;
  private final String description;
  private final List<Set<String>> dimensionSets;

  Instrument(Builder<?> builder) {
    this.name = builder.name;
    this.unit = Objects.requireNonNull(builder.unit, () -> "instrument " + builder.name + " declares no unit");
    if (builder.description == null || builder.description.isBlank()) {
      throw new IllegalArgumentException("instrument " + builder.name + " declares no description");
    }
    this.description = builder.description;
    this.dimensionSets = builder.dimensionSets.isEmpty() ? List.of(Set.of()) : List.copyOf(builder.dimensionSets);
  }

  public String name() {
    return name;
  }

  public Unit unit() {
    return unit;
  }

  public String description() {
    return description;
  }

  /** The sets of dimension keys a recording may give, one of them exactly. */
  public List<Set<String>> dimensionSets() {
    return dimensionSets;
  }

  /** {@code dimensions}, copied, when their keys are one of the declared sets. */
  Map<String, String> checked(Map<String, String> dimensions) {
    Objects.requireNonNull(dimensions, () -> "instrument " + name + " recorded with null dimensions");
    Set<String> keys = dimensions.keySet();
    for (Set<String> declared : dimensionSets) {
      if (declared.equals(keys)) {
        return Map.copyOf(dimensions);
      }
    }
    throw new IllegalArgumentException(mismatch(keys));
  }

  private String mismatch(Set<String> keys) {
    Set<String> given = new TreeSet<>(keys);
    StringBuilder m = new StringBuilder("instrument ").append(name).append(" is declared with the dimension keys ");
    for (int i = 0; i < dimensionSets.size(); i++) {
      m.append(i == 0 ? "" : " or ").append(new TreeSet<>(dimensionSets.get(i)));
    }
    m.append(", not ").append(given);
    Set<String> undeclared = new TreeSet<>(given);
    dimensionSets.forEach(undeclared::removeAll);
    if (!undeclared.isEmpty()) {
      m.append("; undeclared: ").append(undeclared);
    }
    if (dimensionSets.size() == 1) {
      Set<String> missing = new TreeSet<>(dimensionSets.get(0));
      missing.removeAll(given);
      if (!missing.isEmpty()) {
        m.append("; missing: ").append(missing);
      }
    }
    return m.toString();
  }

  @Override
  public String toString() {
    return name;
  }

  /** Declares an instrument; the name, a unit and a description are required, dimensions default to none. */
  public static final class Builder<I extends Instrument> {
    private final String name;
    private final Function<Builder<I>, I> create;
    private Unit unit;
    private String description;
    private final List<Set<String>> dimensionSets = new ArrayList<>();

    Builder(String name, Function<Builder<I>, I> create) {
      Objects.requireNonNull(name, "instrument name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("instrument name '" + name + "' is not lower case letters, digits and underscores");
      }
      this.name = name;
      this.create = create;
    }

    public Builder<I> setUnit(Unit unit) {
      this.unit = Objects.requireNonNull(unit, () -> "instrument " + name + ": unit");
      return this;
    }

    public Builder<I> setDescription(String description) {
      this.description = description;
      return this;
    }

    /** The dimension keys every recording gives. */
    public Builder<I> setDimensions(String... keys) {
      if (!dimensionSets.isEmpty()) {
        throw new IllegalStateException("instrument " + name + " declares its dimensions twice; another set is orDimensions");
      }
      dimensionSets.add(keys(keys));
      return this;
    }

    /** Another set of keys that some call sites record with, after {@link #setDimensions}; none at all is {@code orDimensions()}. */
    public Builder<I> orDimensions(String... keys) {
      if (dimensionSets.isEmpty()) {
        throw new IllegalStateException("instrument " + name + ": orDimensions comes after setDimensions");
      }
      Set<String> set = keys(keys);
      if (dimensionSets.contains(set)) {
        throw new IllegalArgumentException("instrument " + name + " declares the dimension keys " + new TreeSet<>(set) + " twice");
      }
      dimensionSets.add(set);
      return this;
    }

    public I build() {
      return create.apply(this);
    }

    private Set<String> keys(String... keys) {
      for (String k : keys) {
        if (k == null || k.isBlank()) {
          throw new IllegalArgumentException("instrument " + name + " declares a blank dimension key");
        }
        if (k.equals(Telemetry.FUNCTION_DIMENSION)) {
          throw new IllegalArgumentException("instrument " + name + " declares the dimension '" + Telemetry.FUNCTION_DIMENSION
              + "', which every function's telemetry adds itself");
        }
      }
      Set<String> set = new TreeSet<>(List.of(keys));
      if (set.size() < keys.length) {
        throw new IllegalArgumentException("instrument " + name + " declares a dimension key twice in " + List.of(keys));
      }
      return Set.copyOf(set);
    }
  }
}
