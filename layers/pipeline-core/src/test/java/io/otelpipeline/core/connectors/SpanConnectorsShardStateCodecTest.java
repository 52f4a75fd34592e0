package io.otelpipeline.core.connectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.otelpipeline.core.servicegraph.EdgeHalf;
import io.otelpipeline.core.servicegraph.WaitingHalves;
import io.otelpipeline.core.spans.SeenSpans;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shard state's bytes, pinned: what version 1 wrote (span ids under their trace, then the
 * service-graph halves) must be read back the same and written again byte for byte, so a state
 * saved before a deployment carries on after it.
 */
class SpanConnectorsShardStateCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String T1 = "0af7651916cd43dd8448eb211c80319c";
  private static final String T2 = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final EdgeHalf CLIENT =
      new EdgeHalf(T1, "00000000000000a1", EdgeHalf.Side.CLIENT, "frontend", "", 0.05, true, Map.of("client_env", "prod"), "stripe");
  private static final EdgeHalf SERVER =
      new EdgeHalf(T2, "00000000000000b0", EdgeHalf.Side.SERVER, "checkout", "messaging_system", 0.004, false, Map.of(), "");
  /** Written by the version 1 codec: stream time T0 + 5 s, three span ids of two traces, the two halves above. */
  static final String VERSION_1 =
      "010000018f3398d488020af7651916cd43dd8448eb211c80319cf02e0200000000000000a100000000000000a24bf92f"
          + "3577b34da6a3ce929d0e0e4736000100000000000000b102002030616637363531393136636434336464383434386562"
          + "3231316338303331396300103030303030303030303030303030613100000866726f6e74656e6400003fa99999999999"
          + "9a0101000a636c69656e745f656e76000470726f640006737472697065d0860300203462663932663335373762333464"
          + "613661336365393239643065306534373336001030303030303030303030303030306230010008636865636b6f757400"
          + "106d6573736167696e675f73797374656d3f70624dd2f1a9fc00000000e0d403";

  private final SpanConnectorsShardStateCodec codec = new SpanConnectorsShardStateCodec();

  private static SpanConnectorsShardState state() {
    SeenSpans seen = SeenSpans.empty();
    seen.add(HEX.parseHex(T1), HEX.parseHex("00000000000000a1"), T0, SeenSpans.Limits.DEFAULT);
    seen.add(HEX.parseHex(T1), HEX.parseHex("00000000000000a2"), T0.plusSeconds(2), SeenSpans.Limits.DEFAULT);
    seen.add(HEX.parseHex(T2), HEX.parseHex("00000000000000b1"), T0.plusSeconds(5), SeenSpans.Limits.DEFAULT);
    WaitingHalves waiting =
        WaitingHalves.of(List.of(new WaitingHalves.Waiting(CLIENT, T0.plusSeconds(30).toEpochMilli()), new WaitingHalves.Waiting(SERVER, T0.plusSeconds(35).toEpochMilli())));
    SpanConnectorsShardState state = new SpanConnectorsShardState(Long.MIN_VALUE, seen, waiting);
    state.advanceTo(T0.plusSeconds(5));
    return state;
  }

  @Test
  void writesVersionOneByteForByte() {
    assertEquals(VERSION_1, HEX.formatHex(codec.encode(state())));
  }

  @Test
  void readsWhatVersionOneWroteAndWritesItAgainUnchanged() {
    byte[] written = HEX.parseHex(VERSION_1);
    SpanConnectorsShardState read = codec.decode(written);
    assertEquals(T0.plusSeconds(5), read.streamTime());
    assertEquals(3, read.seen().spanCount());
    assertEquals(
        List.of(new WaitingHalves.Waiting(CLIENT, T0.plusSeconds(30).toEpochMilli()), new WaitingHalves.Waiting(SERVER, T0.plusSeconds(35).toEpochMilli())),
        read.waiting().all());
    assertArrayEquals(written, codec.encode(read));
  }
}
