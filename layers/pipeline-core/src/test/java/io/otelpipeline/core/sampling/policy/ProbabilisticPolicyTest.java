package io.otelpipeline.core.sampling.policy;

import static io.otelpipeline.core.sampling.policy.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.TraceId;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProbabilisticPolicyTest {

  /** Within five standard deviations of the binomial share for 100,000 traces. */
  @ParameterizedTest(name = "{0}%")
  @CsvSource({"0", "0.1", "1", "10", "33.3", "50", "99", "100"})
  void keepsTheConfiguredShare(double percentage) {
    PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", percentage, "salt"), Clock.systemUTC());
    int n = 100_000;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (p.evaluate(trace().id(Spans.traceId(i * 7919L)).withCount(1).build()).isSampled()) {
        kept++;
      }
    }
    double q = percentage / 100;
    double tolerance = 5 * Math.sqrt(n * q * (1 - q));
    assertEquals(n * q, kept, tolerance);
  }

  @Test
  void sameTraceSameAnswerEverywhereAndTheSaltChangesWhichTraces() {
    PolicyEvaluator a = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 50, "one"), Clock.systemUTC());
    PolicyEvaluator b = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 50, "one"), Clock.systemUTC());
    PolicyEvaluator salted = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 50, "two"), Clock.systemUTC());
    int differs = 0;
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      var t = trace().id(com.google.protobuf.ByteString.copyFrom(id)).withCount(1).build();
      assertEquals(a.evaluate(t).decision(), b.evaluate(t).decision());
      if (a.evaluate(t).decision() != salted.evaluate(t).decision()) {
        differs++;
      }
    }
    assertNotEquals(0, differs);
  }

  /** Thresholds as the Collector computes them: (2^64 - 1) x ratio in 64-bit binary floating point, truncated. */
  @ParameterizedTest(name = "{0}%")
  @CsvSource({"25, 3fffffffffffffff", "33, 547ae147ae147bff", "30, 4ccccccccccccbff", "10, 19999999999999ff",
      "0.1, 4189374bc6a7ef", "99.9, ffbe76c8b4395fff", "100, ffffffffffffffff", "0, 0"})
  void thresholdsAreTheCollectors(double percentage, String hex) {
    assertEquals(Long.parseUnsignedLong(hex, 16), ProbabilisticPolicy.unsignedThreshold(percentage / 100));
  }

  /**
   * The Collector's hash of the salt and the trace id's bytes (FNV-1a, 64 bit), and so its
   * decision, trace by trace; the hashes were computed apart from this code.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "default-hash-seed, 4bf92f3577b34da6a3ce929d0e0e4736, a54533ba2e4970b5",
    "default-hash-seed, 0af7651916cd43dd8448eb211c80319c, 33bf83d45f51634c",
    "default-hash-seed, 00000000000000000000000000000001, e19535eed1bbaa8a",
    "default-hash-seed, ffffffffffffffffffffffffffffffff, 17bec3739634fe2d",
    "my-salt, 5b8efff798038103d269b633813fc60c, ff140f00181fd424",
    "my-salt, 0af7651916cd43dd8448eb211c80319c, 6f989241965191db"})
  void picksTheSameTracesAsTheCollector(String salt, String traceId, String hash) {
    assertEquals(Long.parseUnsignedLong(hash, 16), TraceId.fnv1a(salt, TraceId.fromHex(traceId)));
    for (double percentage : new double[] {10, 30, 33, 50, 90}) {
      boolean collectorKeeps = Long.compareUnsigned(Long.parseUnsignedLong(hash, 16), ProbabilisticPolicy.unsignedThreshold(percentage / 100)) <= 0;
      PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", percentage, salt), Clock.systemUTC());
      assertEquals(collectorKeeps, p.evaluate(trace().id(TraceId.fromHex(traceId)).withCount(1).build()).isSampled(), percentage + "%");
    }
  }

  @Test
  void aKeepCarriesItsProbability() {
    PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 100, "s"), Clock.systemUTC());
    assertEquals(1.0, p.evaluate(trace().withCount(1).build()).probability().getAsDouble());
  }
}
