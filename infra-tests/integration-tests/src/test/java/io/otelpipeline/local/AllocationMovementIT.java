package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Allocation through the stack as scrapers come and go: the Lambda scraper shard and two external
 * collectors (3 scrapers), a third collector joins (4), then stops sending heartbeats (3 again).
 * Each step moves about a quarter of the targets, read back through {@code GET /jobs/{job}/targets},
 * where rehashing every target would move three quarters: the newcomer's share, or the leaver's,
 * and a few that bounded loads pass on. The collector that stops loses all of its targets in the
 * first run after its heartbeat expires, and the first assignment comes back.
 */
class AllocationMovementIT {
  private static final String JOB = "fleet";
  private static final int TARGETS = 240;
  private static final long LONG_TTL_SECONDS = 600;
  /** Short enough that the test waits only seconds for the collector to expire. */
  private static final long SHORT_TTL_SECONDS = 3;
  private static final Duration STEP = Duration.ofSeconds(30);

  private static LocalStack stack;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(LocalStackOptions.defaults()
        .env("SCRAPE_WINDOW", "1s")
        .env("COLLECTOR_TOKENS", TargetsApiClient.collectorTokens("collector-a", "collector-b", "collector-c"))
        .schedules(false));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aboutAQuarterOfTheTargetsMoveWhenAFourthScraperComesAndGoesAndTheFirstAssignmentReturns() {
    TargetsApiClient api = new TargetsApiClient(stack.targetsEndpoint(), stack.ingestToken());
    for (int i = 0; i < TARGETS; i++) {
      api.register(JOB, "10.1." + (i / 200) + "." + (i % 200 + 1) + ":9100");
    }
    api.heartbeat("collector-a", LONG_TTL_SECONDS);
    api.heartbeat("collector-b", LONG_TTL_SECONDS);

    Map<String, Object> run = allocate();
    assertEquals(1, run.get("lambdaShards"), "allocator run " + run);
    assertEquals(List.of("collector-a", "collector-b"), run.get("externalCollectors"), "allocator run " + run);
    Map<String, String> three = assignment(api, Set.of("lambda-0", "collector-a", "collector-b"));

    Map<String, Object> joined = Await.until("collector-c is live when the allocator runs", STEP, () -> {
      api.heartbeat("collector-c", SHORT_TTL_SECONDS);
      return allocate();
    }, r -> ((List<?>) r.get("externalCollectors")).contains("collector-c"));
    Map<String, String> four = assignment(api, Set.of("lambda-0", "collector-a", "collector-b", "collector-c"));
    int movedIn = moved(three, four);
    assertEquals(movedIn, joined.get("moved"), "the allocator counts the moves the API shows");
    long toNewcomer = four.entrySet().stream().filter(e -> !e.getValue().equals(three.get(e.getKey())) && e.getValue().equals("collector-c")).count();
    assertSpillIsSmall("3 -> 4 scrapers", movedIn - toNewcomer);
    assertShareNearAQuarter("3 -> 4 scrapers", movedIn);

    Map<String, Object> left = Await.until("collector-c's heartbeat expires and the allocator drops it", STEP,
        AllocationMovementIT::allocate, r -> !((List<?>) r.get("externalCollectors")).contains("collector-c"));
    Map<String, String> back = assignment(api, Set.of("lambda-0", "collector-a", "collector-b"));
    int movedOut = moved(four, back);
    assertEquals(movedOut, left.get("moved"), "the allocator counts the moves the API shows");
    long fromLeaver = four.values().stream().filter("collector-c"::equals).count();
    assertSpillIsSmall("4 -> 3 scrapers", movedOut - fromLeaver);
    assertShareNearAQuarter("4 -> 3 scrapers", movedOut);
    assertEquals(three, back, "going back to the same three scrapers restores the first assignment");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> allocate() {
    Map<String, Object> run = (Map<String, Object>) stack.fireSchedule("TargetAllocatorFunction");
    assertEquals(List.of(), run.get("problems"), "allocator run " + run);
    assertEquals(TARGETS, run.get("targets"), "allocator run " + run);
    return run;
  }

  /** Every target's collector, with each of {@code scrapers} holding some and nobody else any. */
  private static Map<String, String> assignment(TargetsApiClient api, Set<String> scrapers) {
    Map<String, String> byAddress = api.collectorByAddress(JOB);
    assertEquals(TARGETS, byAddress.size(), "every target is assigned once");
    assertEquals(new TreeSet<>(scrapers), new TreeSet<>(byAddress.values()), "the scrapers holding targets");
    return byAddress;
  }

  /**
   * Targets that moved between scrapers that stayed: only bounded loads move them (a scraper over
   * its new capacity hands on its last few), so they are a few percent at most.
   */
  private static void assertSpillIsSmall(String step, long spilled) {
    System.out.printf("AllocationMovementIT: %s moved %d targets between scrapers that stayed%n", step, spilled);
    assertTrue(spilled >= 0 && spilled <= TARGETS / 20, step + ": " + spilled + " targets moved between scrapers that stayed, more than 5%");
  }

  private static int moved(Map<String, String> before, Map<String, String> after) {
    return (int) before.entrySet().stream().filter(e -> !e.getValue().equals(after.get(e.getKey()))).count();
  }

  /**
   * A quarter is the ideal for one scraper among four; bounded loads let a few more move, and a
   * hash modulo the scraper count would move three quarters.
   */
  private static void assertShareNearAQuarter(String step, int moved) {
    double share = (double) moved / TARGETS;
    System.out.printf("AllocationMovementIT: %s moved %d of %d targets (%.1f%%; ideal 25%%)%n", step, moved, TARGETS, share * 100);
    assertTrue(share >= 0.15 && share <= 0.35, step + ": " + moved + " of " + TARGETS + " targets moved (" + share + "), expected about a quarter");
  }
}
