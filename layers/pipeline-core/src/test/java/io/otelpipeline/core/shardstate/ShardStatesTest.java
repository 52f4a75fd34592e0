package io.otelpipeline.core.shardstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-container cache and hand-over rules, over the in-memory store that counts its reads. */
class ShardStatesTest {
  private static final ShardStates.Codec<List<String>> LINES =
      new ShardStates.Codec<>() {
        @Override
        public byte[] encode(List<String> state) {
          return String.join("\n", state).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<String> decode(byte[] bytes) {
          String s = new String(bytes, StandardCharsets.UTF_8);
          return s.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(s.split("\n")));
        }
      };

  @Test
  void aWarmContainerReadsOnlyTheFenceWhileNothingElseSaved() {
    MeteredShardStateStore store = new MeteredShardStateStore();
    ShardStates<List<String>> states = new ShardStates<>(store, LINES);
    ShardStates.Loaded<List<String>> first = states.load("s1", ArrayList::new);
    assertFalse(first.covers("1"));
    first.state().add("a");
    ShardStates.Loaded<List<String>> saved = states.save(first, "7", first.state());

    ShardStates.Loaded<List<String>> again = states.load("s1", ArrayList::new);
    assertSame(saved.state(), again.state());
    assertEquals(0, store.objectGets);
    assertTrue(again.covers("7"));
    assertFalse(again.covers("8"));
  }

  @Test
  void aStateNotSavedAgainIsReadFromTheStoreNotFromWhatTheFailedInvocationChanged() {
    MeteredShardStateStore store = new MeteredShardStateStore();
    ShardStates<List<String>> states = new ShardStates<>(store, LINES);
    ShardStates.Loaded<List<String>> first = states.load("s1", ArrayList::new);
    first.state().add("kept");
    states.save(first, "5", first.state());

    ShardStates.Loaded<List<String>> failing = states.load("s1", ArrayList::new);
    failing.state().add("half-done");

    ShardStates.Loaded<List<String>> retry = states.load("s1", ArrayList::new);
    assertEquals(List.of("kept"), retry.state());
    assertEquals(1, store.objectGets);
  }

  @Test
  void anotherContainersSaveIsReadAndAStaleSaveIsRefused() {
    MeteredShardStateStore store = new MeteredShardStateStore();
    ShardStates<List<String>> here = new ShardStates<>(store, LINES);
    ShardStates<List<String>> there = new ShardStates<>(store, LINES);
    ShardStates.Loaded<List<String>> mine = here.load("s1", ArrayList::new);
    here.save(mine, "3", new ArrayList<>(List.of("here")));
    ShardStates.Loaded<List<String>> stale = here.load("s1", ArrayList::new);

    ShardStates.Loaded<List<String>> theirs = there.load("s1", ArrayList::new);
    there.save(theirs, "9", new ArrayList<>(List.of("here", "there")));

    assertThrows(ShardStateConflict.class, () -> here.save(stale, "4", stale.state()));
    ShardStates.Loaded<List<String>> now = here.load("s1", ArrayList::new);
    assertEquals(List.of("here", "there"), now.state());
    assertTrue(now.covers("9"));
  }
}
