package io.otelpipeline.core.sampling.config;

import io.otelpipeline.core.config.ComponentCatalog;
import io.otelpipeline.core.config.ConfigBlock;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.sampling.ottl.OttlCondition;
import io.otelpipeline.core.sampling.ottl.OttlContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code tail_sampling} processor block of the pipeline configuration, decoded once and
 * validated at start. Keys and defaults are the Collector's; the keys that size a Collector's
 * in-memory state of waiting traces ({@code num_traces}, {@code expected_new_traces_per_sec}) are
 * accepted and listed in {@link #notes()}, because here the waiting traces are those of the last
 * {@code decision_wait} of each shard, carried in the shard's state; {@code decision_cache} sizes
 * the decisions each shard remembers for late spans, as the Collector's does.
 *
 * @param decisionWait how long after the first span of a trace is seen its decision is made
 * @param decisionWaitAfterRootReceived when set, the decision comes this long after the root span arrives, if sooner
 * @param sampleOnFirstMatch stop at the first policy that samples, as the Collector's option does
 * @param maxSpansPerTrace beyond the Collector: a trace with more spans in hand is decided at once, the rest follow
 * @param decisionTtl beyond the Collector: how long a decision is remembered for late spans
 * @param policies in configured order
 * @param decisionCache how many kept and dropped decisions each shard remembers, at most, for late spans
 * @param recordPolicy whether kept spans' instrumentation scope names the deciding policy
 *     ({@code tailsampling.policy}, and {@code tailsampling.composite_policy} for a composite's
 *     sub-policy), as the Collector does behind its {@code processor.tailsamplingprocessor.recordpolicy}
 *     feature gate; here behind {@value #RECORD_POLICY_VARIABLE}=true, and only with a tail_sampling processor
 * @param notes accepted keys that have no effect here, with the reason
 */
public record TailSamplingConfig(
    Duration decisionWait,
    Optional<Duration> decisionWaitAfterRootReceived,
    boolean sampleOnFirstMatch,
    int maxSpansPerTrace,
    Duration decisionTtl,
    DecisionCache decisionCache,
    List<PolicyConfig> policies,
    boolean recordPolicy,
    List<String> notes) {

  /**
   * The Collector's {@code decision_cache}: {@code sampled_cache_size} kept and
   * {@code non_sampled_cache_size} dropped decisions a shard remembers, the oldest forgotten first.
   * Here they are on by default, since a shard's state is saved at every invocation and these
   * sizes bound it: about 30 bytes per decision, plus 8 per exported span of a kept trace.
   */
  public record DecisionCache(int sampledSize, int nonSampledSize) {
    public static final DecisionCache DEFAULT = new DecisionCache(20_000, 20_000);
  }

  /** A configuration with the default decision cache. */
  public TailSamplingConfig(
      Duration decisionWait,
      Optional<Duration> decisionWaitAfterRootReceived,
      boolean sampleOnFirstMatch,
      int maxSpansPerTrace,
      Duration decisionTtl,
      List<PolicyConfig> policies,
      boolean recordPolicy,
      List<String> notes) {
    this(decisionWait, decisionWaitAfterRootReceived, sampleOnFirstMatch, maxSpansPerTrace, decisionTtl, DecisionCache.DEFAULT, policies,
        recordPolicy, notes);
  }

  /** The environment variable that turns on recording the deciding policy, as the Collector's feature gate does. */
  public static final String RECORD_POLICY_VARIABLE = "TAIL_SAMPLING_RECORD_POLICY";

  public static final Duration DEFAULT_DECISION_WAIT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_SPANS_PER_TRACE = 10_000;
  public static final Duration DEFAULT_DECISION_TTL = Duration.ofHours(1);

  private static final String IN_SHARD_STATE =
      "the traces waiting for a decision are those of each shard's last decision_wait, carried in the shard's state, not a count held in memory";
  /** Keys of the Collector's processor that change nothing here, with the reason. */
  private static final Map<String, String> NOT_APPLICABLE =
      Map.of(
          "num_traces", IN_SHARD_STATE,
          "expected_new_traces_per_sec", IN_SHARD_STATE,
          "block_on_overflow", "nothing overflows: waiting traces are carried in each shard's state, not held in a bounded memory",
          "maximum_trace_size_bytes", "a trace's spans in hand are bounded by max_spans_per_trace; a bigger trace is decided at once",
          "drop_pending_traces_on_shutdown", "there is no shutdown: waiting traces survive every invocation in the shard's state and are decided when due",
          "sampling_strategy", "every trace is decided once, on the spans that reached its shard within decision_wait, and late spans follow",
          "tail_storage", "waiting traces are always carried in each shard's state (ShardStateBucket)");
  private static final Set<String> STATUS_CODES = Set.of("OK", "ERROR", "UNSET");
  private static final Set<String> ERROR_MODES = Set.of("ignore", "silent", "propagate");

  /** The configuration used when the pipeline config has no tail_sampling block: keep every trace. */
  public static TailSamplingConfig keepEverything() {
    return new TailSamplingConfig(
        DEFAULT_DECISION_WAIT,
        Optional.empty(),
        false,
        DEFAULT_MAX_SPANS_PER_TRACE,
        DEFAULT_DECISION_TTL,
        List.of(new PolicyConfig.AlwaysSample("always_sample")),
        false,
        List.of("no tail_sampling processor configured: every trace is kept"));
  }

  /** Decodes the first running {@code tail_sampling} processor of the pipeline config; without one, every trace is kept. */
  public static TailSamplingConfig from(PipelineConfig config) {
    return from(config, false);
  }

  /**
   * As {@link #from(PipelineConfig)}, recording the deciding policy on kept spans' scope when
   * {@code recordPolicy} is set and a tail_sampling processor is configured.
   */
  public static TailSamplingConfig from(PipelineConfig config, boolean recordPolicy) {
    return config.decode("processors", ComponentCatalog.TAIL_SAMPLING, TailSamplingConfig::decode)
        .map(c -> recordPolicy ? c.recordingPolicy() : c)
        .orElseGet(TailSamplingConfig::keepEverything);
  }

  /** This configuration with the deciding policy recorded on kept spans' scope. */
  public TailSamplingConfig recordingPolicy() {
    return new TailSamplingConfig(
        decisionWait, decisionWaitAfterRootReceived, sampleOnFirstMatch, maxSpansPerTrace, decisionTtl, decisionCache, policies, true, notes);
  }

  /** Decodes the settings of a tail_sampling processor. */
  public static TailSamplingConfig decode(ConfigBlock root) {
    Set<String> known = new java.util.HashSet<>(
        Set.of("decision_wait", "decision_wait_after_root_received", "sample_on_first_match", "max_spans_per_trace", "decision_ttl", "decision_cache",
            "policies"));
    known.addAll(NOT_APPLICABLE.keySet());
    root.onlyKeys(known);
    List<String> notes = new ArrayList<>(root.notApplicable(NOT_APPLICABLE));
    Duration wait = root.duration("decision_wait", DEFAULT_DECISION_WAIT);
    if (wait.isZero()) {
      throw root.error("decision_wait", "must be greater than zero");
    }
    Optional<Duration> afterRoot =
        root.has("decision_wait_after_root_received") ? Optional.of(root.duration("decision_wait_after_root_received", wait)) : Optional.empty();
    long cap = root.integer("max_spans_per_trace", DEFAULT_MAX_SPANS_PER_TRACE);
    if (cap < 1 || cap > 1_000_000) {
      throw root.error("max_spans_per_trace", "must be between 1 and 1000000, found " + cap);
    }
    Duration ttl = root.duration("decision_ttl", DEFAULT_DECISION_TTL);
    if (ttl.compareTo(wait) <= 0) {
      throw root.error("decision_ttl", "must be longer than decision_wait (" + wait + ") so late spans find the decision");
    }
    DecisionCache cache = DecisionCache.DEFAULT;
    if (root.has("decision_cache")) {
      ConfigBlock c = root.block("decision_cache");
      c.onlyKeys(Set.of("sampled_cache_size", "non_sampled_cache_size"));
      cache = new DecisionCache(
          (int) c.nonNegativeInteger("sampled_cache_size", DecisionCache.DEFAULT.sampledSize()),
          (int) c.nonNegativeInteger("non_sampled_cache_size", DecisionCache.DEFAULT.nonSampledSize()));
      if (cache.sampledSize() > 1_000_000 || cache.nonSampledSize() > 1_000_000) {
        throw root.error("decision_cache", "sizes above 1000000 per shard would make the shard's state too big to save at every invocation");
      }
    }
    List<ConfigBlock> policyNodes = root.namedBlocks("policies");
    if (policyNodes.isEmpty()) {
      throw root.error("policies", "at least one policy is required");
    }
    List<PolicyConfig> policies = policyList(policyNodes, root.path() + ".policies", notes);
    return new TailSamplingConfig(
        wait, afterRoot, root.bool("sample_on_first_match", false), (int) cap, ttl, cache, List.copyOf(policies), false, List.copyOf(notes));
  }

  private static List<PolicyConfig> policyList(List<ConfigBlock> nodes, String where, List<String> notes) {
    List<PolicyConfig> out = new ArrayList<>(nodes.size());
    Set<String> names = new HashSet<>();
    for (ConfigBlock n : nodes) {
      PolicyConfig p = policy(n, notes);
      if (!names.add(p.name())) {
        throw new ConfigException(where + ": policy name '" + p.name() + "' is used twice; names must be unique");
      }
      out.add(p);
    }
    return out;
  }

  private static PolicyConfig policy(ConfigBlock n, List<String> notes) {
    String name = n.requiredString("name");
    String type = n.requiredString("type");
    n.onlyKeys(Set.of("name", "type", type));
    ConfigBlock b = n.block(type);
    return switch (type) {
      case "always_sample" -> {
        b.onlyKeys(Set.of());
        yield new PolicyConfig.AlwaysSample(name);
      }
      case "latency" -> latency(name, b);
      case "numeric_attribute" -> numericAttribute(name, b);
      case "probabilistic" -> probabilistic(name, b);
      case "status_code" -> statusCode(name, b);
      case "string_attribute" -> stringAttribute(name, b);
      case "trace_state" -> {
        b.onlyKeys(Set.of("key", "values"));
        List<String> values = b.strings("values", List.of());
        if (values.isEmpty()) {
          throw b.error("values", "at least one value is required");
        }
        yield new PolicyConfig.TraceState(name, b.requiredString("key"), values);
      }
      case "rate_limiting" -> {
        b.onlyKeys(Set.of("spans_per_second", "burst_capacity"));
        if (b.has("burst_capacity")) {
          b.nonNegativeInteger("burst_capacity", 0);
          notes.add(b.path() + ".burst_capacity has no effect here: rate_limiting counts the spans of each second against "
              + "spans_per_second, per container");
        }
        yield new PolicyConfig.RateLimiting(name, positive(b, "spans_per_second"));
      }
      case "trace_flags" -> {
        b.onlyKeys(Set.of());
        yield new PolicyConfig.TraceFlags(name);
      }
      case "bytes_limiting" -> {
        b.onlyKeys(Set.of("bytes_per_second", "burst_capacity"));
        long rate = positive(b, "bytes_per_second");
        long burst = b.nonNegativeInteger("burst_capacity", 2 * rate);
        if (burst == 0) {
          burst = 2 * rate;
        }
        yield new PolicyConfig.BytesLimiting(name, rate, burst);
      }
      case "span_count" -> spanCount(name, b);
      case "boolean_attribute" -> {
        b.onlyKeys(Set.of("key", "value", "invert_match"));
        if (!b.has("value")) {
          throw b.error("value", "is required (true or false)");
        }
        yield new PolicyConfig.BooleanAttribute(name, b.requiredString("key"), b.bool("value", false), b.bool("invert_match", false));
      }
      case "ottl_condition" -> ottl(name, b);
      case "and" -> {
        b.onlyKeys(Set.of("and_sub_policy"));
        yield new PolicyConfig.And(name, subPolicies(b, "and_sub_policy", notes));
      }
      case "drop" -> {
        b.onlyKeys(Set.of("drop_sub_policy"));
        yield new PolicyConfig.Drop(name, subPolicies(b, "drop_sub_policy", notes));
      }
      case "not" -> {
        b.onlyKeys(Set.of("not_sub_policy"));
        if (!b.has("not_sub_policy")) {
          throw b.error("not_sub_policy", "is required: the policy whose decision is inverted");
        }
        yield new PolicyConfig.Not(name, policy(b.block("not_sub_policy"), notes));
      }
      case "composite" -> composite(name, b, notes);
      case "ema_throughput" -> emaThroughput(name, b);
      default ->
          throw n.error(
              "type",
              "unknown policy type '" + type + "'; expected one of always_sample, latency, numeric_attribute, probabilistic,"
                  + " status_code, string_attribute, trace_state, trace_flags, rate_limiting, bytes_limiting, span_count, boolean_attribute,"
                  + " ottl_condition, and, not, drop, composite, ema_throughput");
    };
  }

  private static PolicyConfig latency(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("threshold_ms", "upper_threshold_ms"));
    long lower = b.nonNegativeInteger("threshold_ms", 0);
    long upper = b.nonNegativeInteger("upper_threshold_ms", 0);
    if (upper > 0 && upper <= lower) {
      throw b.error("upper_threshold_ms", "must be greater than threshold_ms (" + lower + "), found " + upper);
    }
    if (lower == 0 && upper == 0) {
      throw b.error("threshold_ms", "set threshold_ms or upper_threshold_ms");
    }
    return new PolicyConfig.Latency(name, lower, upper);
  }

  private static PolicyConfig numericAttribute(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("key", "min_value", "max_value", "invert_match"));
    String key = b.requiredString("key");
    OptionalLong min = b.has("min_value") ? OptionalLong.of(b.integer("min_value", 0)) : OptionalLong.empty();
    OptionalLong max = b.has("max_value") ? OptionalLong.of(b.integer("max_value", 0)) : OptionalLong.empty();
    if (min.isEmpty() && max.isEmpty()) {
      throw b.error("min_value", "set min_value, max_value or both");
    }
    if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
      throw b.error("max_value", "must not be below min_value (" + min.getAsLong() + "), found " + max.getAsLong());
    }
    return new PolicyConfig.NumericAttribute(name, key, min, max, b.bool("invert_match", false));
  }

  private static PolicyConfig probabilistic(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("sampling_percentage", "hash_salt"));
    if (!b.has("sampling_percentage")) {
      throw b.error("sampling_percentage", "is required (0 to 100)");
    }
    double pct = b.number("sampling_percentage", 0);
    if (pct < 0 || pct > 100 || Double.isNaN(pct)) {
      throw b.error("sampling_percentage", "must be between 0 and 100, found " + pct);
    }
    String salt = b.string("hash_salt", "");
    return new PolicyConfig.Probabilistic(name, pct, salt.isEmpty() ? PolicyConfig.Probabilistic.DEFAULT_HASH_SALT : salt);
  }

  private static PolicyConfig statusCode(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("status_codes"));
    List<String> codes = b.strings("status_codes", List.of());
    if (codes.isEmpty()) {
      throw b.error("status_codes", "at least one of OK, ERROR, UNSET is required");
    }
    for (String c : codes) {
      if (!STATUS_CODES.contains(c)) {
        throw b.error("status_codes", "'" + c + "' is not a status code; expected OK, ERROR or UNSET");
      }
    }
    return new PolicyConfig.StatusCode(name, codes);
  }

  private static PolicyConfig stringAttribute(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("key", "values", "enabled_regex_matching", "cache_max_size", "invert_match"));
    String key = b.requiredString("key");
    List<String> values = b.strings("values", List.of());
    if (values.isEmpty()) {
      throw b.error("values", "at least one value is required");
    }
    boolean regex = b.bool("enabled_regex_matching", false);
    if (regex) {
      for (String v : values) {
        try {
          Pattern.compile(v);
        } catch (PatternSyntaxException e) {
          throw b.error("values", "'" + v + "' is not a valid regular expression: " + e.getDescription());
        }
      }
    }
    int cache = (int) b.nonNegativeInteger("cache_max_size", 0);
    return new PolicyConfig.StringAttribute(name, key, values, regex, cache, b.bool("invert_match", false));
  }

  private static PolicyConfig spanCount(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("min_spans", "max_spans"));
    long min = b.nonNegativeInteger("min_spans", 0);
    long max = b.nonNegativeInteger("max_spans", 0);
    if (max > 0 && max < min) {
      throw b.error("max_spans", "must not be below min_spans (" + min + "), found " + max);
    }
    return new PolicyConfig.SpanCount(name, (int) min, (int) max);
  }

  private static PolicyConfig ottl(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("error_mode", "span", "spanevent"));
    String mode = b.string("error_mode", "propagate");
    if (!ERROR_MODES.contains(mode)) {
      throw b.error("error_mode", "'" + mode + "' is not one of ignore, silent, propagate");
    }
    List<String> span = b.strings("span", List.of());
    List<String> events = b.strings("spanevent", List.of());
    if (span.isEmpty() && events.isEmpty()) {
      throw b.error("span", "at least one span or spanevent condition is required");
    }
    for (String c : span) {
      OttlCondition.compile(c, OttlContext.SPAN, b.path() + ".span");
    }
    for (String c : events) {
      OttlCondition.compile(c, OttlContext.SPANEVENT, b.path() + ".spanevent");
    }
    return new PolicyConfig.OttlCondition(name, mode, span, events);
  }

  private static PolicyConfig composite(String name, ConfigBlock b, List<String> notes) {
    b.onlyKeys(Set.of("max_total_spans_per_second", "policy_order", "composite_sub_policy", "rate_allocation"));
    long max = positive(b, "max_total_spans_per_second");
    List<PolicyConfig> subs = subPolicies(b, "composite_sub_policy", notes);
    Set<String> subNames = new HashSet<>();
    subs.forEach(s -> subNames.add(s.name()));
    List<String> order = b.strings("policy_order", List.of());
    for (String o : order) {
      if (!subNames.contains(o)) {
        throw b.error("policy_order", "names '" + o + "', which is not one of the composite_sub_policy names " + subNames);
      }
    }
    List<PolicyConfig.RateAllocation> allocations = new ArrayList<>();
    int total = 0;
    for (ConfigBlock a : b.namedBlocks("rate_allocation")) {
      a.onlyKeys(Set.of("policy", "percent"));
      String policy = a.requiredString("policy");
      if (!subNames.contains(policy)) {
        throw a.error("policy", "'" + policy + "' is not one of the composite_sub_policy names " + subNames);
      }
      long pct = a.nonNegativeInteger("percent", 0);
      if (pct > 100) {
        throw a.error("percent", "must be between 0 and 100, found " + pct);
      }
      total += (int) pct;
      allocations.add(new PolicyConfig.RateAllocation(policy, (int) pct));
    }
    if (total > 100) {
      throw b.error("rate_allocation", "percentages add up to " + total + ", more than 100");
    }
    return new PolicyConfig.Composite(name, max, order, subs, List.copyOf(allocations));
  }

  private static PolicyConfig emaThroughput(String name, ConfigBlock b) {
    b.onlyKeys(Set.of("goal_throughput_per_sec", "key_fields", "adjustment_interval", "weight", "age_out_value", "max_keys"));
    double goal = b.number("goal_throughput_per_sec", 0);
    if (!(goal > 0)) {
      throw b.error("goal_throughput_per_sec", "must be greater than zero (traces kept per second)");
    }
    Duration interval = b.duration("adjustment_interval", PolicyConfig.EmaThroughput.DEFAULT_ADJUSTMENT_INTERVAL);
    if (interval.toMillis() < 1) {
      throw b.error("adjustment_interval", "must be at least 1ms");
    }
    double weight = b.number("weight", PolicyConfig.EmaThroughput.DEFAULT_WEIGHT);
    if (!(weight > 0 && weight <= 1)) {
      throw b.error("weight", "must be in (0, 1], found " + weight);
    }
    double ageOut = b.number("age_out_value", PolicyConfig.EmaThroughput.DEFAULT_AGE_OUT_VALUE);
    if (ageOut < 0) {
      throw b.error("age_out_value", "must not be negative");
    }
    long maxKeys = b.integer("max_keys", PolicyConfig.EmaThroughput.DEFAULT_MAX_KEYS);
    if (maxKeys < 1) {
      throw b.error("max_keys", "must be at least 1");
    }
    return new PolicyConfig.EmaThroughput(name, goal, b.strings("key_fields", List.of()), interval, weight, ageOut, (int) maxKeys);
  }

  private static List<PolicyConfig> subPolicies(ConfigBlock b, String key, List<String> notes) {
    List<ConfigBlock> nodes = b.namedBlocks(key);
    if (nodes.isEmpty()) {
      throw b.error(key, "at least one sub-policy is required");
    }
    return List.copyOf(policyList(nodes, b.path() + "." + key, notes));
  }

  private static long positive(ConfigBlock b, String key) {
    long n = b.integer(key, 0);
    if (n <= 0) {
      throw b.error(key, "must be greater than zero, found " + n);
    }
    return n;
  }
}
