package io.otelpipeline.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigBlockTest {
  private static final ConfigBlock BLOCK =
      ConfigBlock.of(
          "processors.x",
          Map.of(
              "count", "-3",
              "rate", "0.25",
              "wait", -5L,
              "word", "many",
              "list", List.of(Map.of("name", "errors"), Map.of("other", 1)),
              "flat", List.of("a", 2)));

  @Test
  void readsTheValuesAsTheirTypes() {
    assertEquals(-3, BLOCK.integer("count", 0));
    assertEquals(7, BLOCK.nonNegativeInteger("absent", 7));
    assertEquals(0.25, BLOCK.number("rate", 0));
    assertEquals(List.of("a", "2"), BLOCK.strings("flat", List.of()));
    assertEquals(List.of("processors.x.list[errors]", "processors.x.list[1]"), BLOCK.namedBlocks("list").stream().map(ConfigBlock::path).toList());
    assertEquals(List.of("processors.x.list[0]", "processors.x.list[1]"), BLOCK.blocks("list").stream().map(ConfigBlock::path).toList());
    assertEquals(Duration.ofSeconds(2), BLOCK.duration("absent", Duration.ofSeconds(2)));
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of((Consumer<ConfigBlock>) b -> b.integer("word", 0), "processors.x.word: must be a whole number, not 'many'"),
        Arguments.of((Consumer<ConfigBlock>) b -> b.nonNegativeInteger("count", 0), "processors.x.count: must not be negative, found -3"),
        Arguments.of((Consumer<ConfigBlock>) b -> b.integer("count", 0, 0, 10), "processors.x.count: -3 is out of range [0, 10]"),
        Arguments.of((Consumer<ConfigBlock>) b -> b.number("word", 0), "processors.x.word: must be a number, not 'many'"),
        Arguments.of((Consumer<ConfigBlock>) b -> b.duration("wait", Duration.ZERO), "processors.x.wait: must not be negative"),
        Arguments.of((Consumer<ConfigBlock>) b -> b.namedBlocks("flat"), "processors.x.flat[0]: must be a mapping, not 'a'"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void aBadValueIsRefusedNamingItsKey(Consumer<ConfigBlock> read, String message) {
    assertEquals(message, assertThrows(ConfigException.class, () -> read.accept(BLOCK)).getMessage());
  }
}
