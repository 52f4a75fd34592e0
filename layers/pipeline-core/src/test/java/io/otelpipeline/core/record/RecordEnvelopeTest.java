package io.otelpipeline.core.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.testing.TraceCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RecordEnvelopeTest {
  private final byte[] otlp = TraceCorpus.request(1, 64, 8).toByteArray();

  @ParameterizedTest
  @EnumSource(Compression.class)
  void roundTripsEveryCompression(Compression compression) {
    byte[] bytes = RecordEnvelope.wrap(Signal.TRACES, compression, 64, otlp).toBytes();
    RecordEnvelope parsed = RecordEnvelope.parse(bytes);
    assertEquals(Signal.TRACES, parsed.signal());
    assertEquals(compression, parsed.compression());
    assertEquals(64, parsed.itemCount());
    assertArrayEquals(otlp, parsed.otlpRequest());
  }

  @Test
  void headerLayoutIsTheDocumentedOne() {
    byte[] bytes = RecordEnvelope.wrap(Signal.LOGS, Compression.ZSTD, 258, otlp).toBytes();
    assertEquals(0x4F, bytes[0] & 0xFF);
    assertEquals(1, bytes[1]);
    assertEquals(3, bytes[2]);
    assertEquals(2, bytes[3]);
    assertEquals(258, ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF));
  }

  @Test
  void refusesWhatIsNotAnEnvelopeWithAClearMessage() {
    RecordFormatException shortRecord = assertThrows(RecordFormatException.class, () -> RecordEnvelope.parse(new byte[] {1, 2}));
    assertTrue(shortRecord.getMessage().contains("shorter than the 8-byte envelope header"));
    RecordFormatException magic = assertThrows(RecordFormatException.class, () -> RecordEnvelope.parse("{\"json\":true}".getBytes()));
    assertTrue(magic.getMessage().contains("magic byte"), magic.getMessage());
    byte[] badCodec = RecordEnvelope.wrap(Signal.TRACES, Compression.NONE, 1, otlp).toBytes();
    badCodec[3] = 9;
    assertTrue(assertThrows(RecordFormatException.class, () -> RecordEnvelope.parse(badCodec)).getMessage().contains("compression code 9"));
    byte[] badVersion = RecordEnvelope.wrap(Signal.TRACES, Compression.NONE, 1, otlp).toBytes();
    badVersion[1] = 7;
    assertTrue(assertThrows(RecordFormatException.class, () -> RecordEnvelope.parse(badVersion)).getMessage().contains("version 7"));
  }

  @Test
  void refusesCorruptAndOversizedPayloads() {
    byte[] corrupt = RecordEnvelope.wrap(Signal.TRACES, Compression.GZIP, 1, otlp).toBytes();
    corrupt[corrupt.length - 5] ^= 0x55;
    assertThrows(RecordFormatException.class, () -> RecordEnvelope.parse(corrupt).otlpRequest());
    byte[] bomb = Zstd.compress(new byte[RecordEnvelope.MAX_PAYLOAD_BYTES + 1]);
    RecordEnvelope huge = new RecordEnvelope(Signal.TRACES, Compression.ZSTD, 1, bomb);
    RecordFormatException e = assertThrows(RecordFormatException.class, huge::otlpRequest);
    assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
  }
}
