package io.otelpipeline.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Peak memory: the /proc status fields it reads, and the peaks it keeps while something grows. */
class MemoryWatchTest {
  private static final String STATUS = """
      Name:\tjava
      VmPeak:\t 9000000 kB
      VmHWM:\t  812344 kB
      VmRSS:\t  640000 kB
      Threads:\t95
      """;

  @Test
  void readsKilobyteFieldsOfProcStatusAsBytes() {
    assertEquals(OptionalLong.of(812_344L * 1024), MemoryWatch.statusField(STATUS, "VmHWM"));
    assertEquals(OptionalLong.of(640_000L * 1024), MemoryWatch.statusField(STATUS, "VmRSS"));
    assertEquals(OptionalLong.empty(), MemoryWatch.statusField(STATUS, "VmSwap"), "absent");
    assertEquals(OptionalLong.empty(), MemoryWatch.statusField(STATUS, "Threads"), "not in kB");
  }

  @Test
  void theHeapPeakOutlivesWhatWasFreed() throws Exception {
    long before;
    System.gc(); // what the heap holds at the start is then live, not garbage a collection could take away before the peak
    try (MemoryWatch watch = MemoryWatch.start()) {
      before = watch.peaks().heapUsedSampled();
      byte[][] held = new byte[64][];
      for (int i = 0; i < held.length; i++) {
        held[i] = new byte[1 << 20];
      }
      Thread.sleep(3 * MemoryWatch.SAMPLE_MILLIS);
      long touched = 0;
      for (byte[] b : held) {
        touched += b.length;
      }
      held = null;
      System.gc();
      MemoryWatch.Peaks peaks = watch.peaks();
      assertTrue(peaks.heapUsedSampled() >= before + touched / 2, "64 MiB held for a while is in the peak: " + peaks + ", before " + before);
      assertTrue(peaks.heapPoolsPeakSum() >= peaks.heapUsedSampled() - (8 << 20), "the pools' peaks bound the sampled one: " + peaks);
      if (peaks.jvmRssPeak().isPresent()) {
        assertTrue(peaks.jvmRssPeak().getAsLong() >= 64L << 20, "resident peak: " + peaks);
      }
    }
  }
}
