package io.otelpipeline.core.targets.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.targets.ScrapeTarget;
import io.otelpipeline.core.targets.TargetSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AllocationStrategyTest {
  static final List<ScrapeTarget> TARGETS =
      IntStream.range(0, 1000)
          .mapToObj(i -> ScrapeTarget.of("node", "10.0." + (i / 250) + "." + (i % 250) + ":9100", Map.of(), Duration.ofSeconds(30), TargetSource.CONFIG))
          .toList();
  static final List<String> THREE = List.of("lambda-0", "lambda-1", "lambda-2");
  static final List<String> FOUR = List.of("lambda-0", "lambda-1", "lambda-2", "lambda-3");

  static int moved(Map<String, String> before, Map<String, String> after) {
    int n = 0;
    for (Map.Entry<String, String> e : after.entrySet()) {
      if (!e.getValue().equals(before.get(e.getKey()))) {
        n++;
      }
    }
    return n;
  }

  static Map<String, Integer> loads(Map<String, String> a) {
    Map<String, Integer> l = new HashMap<>();
    a.values().forEach(c -> l.merge(c, 1, Integer::sum));
    return l;
  }

  @Test
  void consistentHashingMovesAboutOneNthWhenScrapersComeAndGo() {
    AllocationStrategy s = AllocationStrategy.consistentHashing();
    Map<String, String> three = s.allocate(TARGETS, THREE, Map.of());
    Map<String, String> four = s.allocate(TARGETS, FOUR, three);
    Map<String, String> back = s.allocate(TARGETS, THREE, four);

    int up = moved(three, four);
    int down = moved(four, back);
    // Ideal movement is 1/4 of targets both ways (250); bounded loads add a little.
    assertTrue(up >= 200 && up <= 330, "3 -> 4 moved " + up + " of 1000");
    assertTrue(down >= 200 && down <= 330, "4 -> 3 moved " + down + " of 1000");
    assertEquals(three, back, "returning to the same scrapers gives the same assignment");
    assertEquals(loads(four).get("lambda-3"), (int) four.values().stream().filter("lambda-3"::equals).count());
    int arrivals = (int) TARGETS.stream().filter(t -> four.get(t.key()).equals("lambda-3")).count();
    assertEquals(up, arrivals + (int) TARGETS.stream().filter(t -> !four.get(t.key()).equals("lambda-3") && !four.get(t.key()).equals(three.get(t.key()))).count());
  }

  @Test
  void everyTargetGoesToExactlyOneLiveScraperWithinTheLoadBound() {
    for (AllocationStrategy s : List.of(AllocationStrategy.consistentHashing(), AllocationStrategy.leastWeighted())) {
      Map<String, String> a = s.allocate(TARGETS, FOUR, Map.of());
      assertEquals(TARGETS.size(), a.size(), s.name());
      assertTrue(FOUR.containsAll(a.values()), s.name());
      int bound = (int) Math.ceil(TARGETS.size() * ConsistentHashing.LOAD_FACTOR / FOUR.size());
      loads(a).forEach((c, n) -> assertTrue(n <= bound, s.name() + ": " + c + " holds " + n + " > " + bound));
    }
  }

  @Test
  void aVanishedScraperLosesItsTargetsInOneRun() {
    for (AllocationStrategy s : List.of(AllocationStrategy.consistentHashing(), AllocationStrategy.leastWeighted())) {
      List<String> withExternal = new ArrayList<>(THREE);
      withExternal.add("ecs-collector");
      Map<String, String> before = s.allocate(TARGETS, withExternal, Map.of());
      assertTrue(before.containsValue("ecs-collector"), s.name());
      Map<String, String> after = s.allocate(TARGETS, THREE, before);
      assertFalse(after.containsValue("ecs-collector"), s.name());
      assertEquals(TARGETS.size(), after.size(), s.name());
    }
  }

  @Test
  void leastWeightedKeepsTargetsAndFillsNewScrapersWithNewTargets() {
    AllocationStrategy s = AllocationStrategy.leastWeighted();
    Map<String, String> three = s.allocate(TARGETS, THREE, Map.of());
    loads(three).values().forEach(n -> assertTrue(n == 333 || n == 334));
    Map<String, String> four = s.allocate(TARGETS, FOUR, three);
    assertEquals(0, moved(three, four));
    List<ScrapeTarget> more = new ArrayList<>(TARGETS);
    more.add(ScrapeTarget.of("node", "new-host:9100", Map.of(), Duration.ofSeconds(30), TargetSource.REGISTERED));
    assertEquals("lambda-3", s.allocate(more, FOUR, four).get("node/new-host:9100"));
  }

  @Test
  void hashesTheAddressOnlySoLabelsAndJobsDoNotMoveATarget() {
    AllocationStrategy s = AllocationStrategy.consistentHashing();
    ScrapeTarget a = ScrapeTarget.of("node", "host-1:9100", Map.of("team", "a"), Duration.ofSeconds(30), TargetSource.CONFIG);
    ScrapeTarget b = ScrapeTarget.of("other", "host-1:9100", Map.of("team", "b"), Duration.ofSeconds(60), TargetSource.REGISTERED);
    List<ScrapeTarget> all = new ArrayList<>(TARGETS);
    all.add(a);
    all.add(b);
    Map<String, String> r = s.allocate(all, FOUR, Map.of());
    assertEquals(r.get(a.key()), r.get(b.key()));
  }

  @Test
  void namedStrategiesAndUnknownNames() {
    assertEquals("least-weighted", AllocationStrategy.named("least-weighted").name());
    assertEquals("consistent-hashing", AllocationStrategy.named(AllocationStrategy.DEFAULT).name());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> AllocationStrategy.named("round-robin"));
    assertTrue(e.getMessage().contains("'round-robin'"));
  }
}
