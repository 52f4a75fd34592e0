package io.otelpipeline.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The local stack's memory during a run. The stack runs in this JVM (every function, DynamoDB
 * Local, the Function URL front, and the harness's client and sink beside them) plus kinesis-mock,
 * a Node child process. Measured: the JVM's heap used (sampled every {@value #SAMPLE_MILLIS} ms,
 * and the sum of the heap pools' own peaks, an upper bound since the pools peak at different
 * times), and on Linux the resident set of the JVM and of its child processes: {@code VmHWM} of
 * {@code /proc/<pid>/status}, the kernel's own peak, which {@link #start} resets by writing 5 to
 * {@code /proc/<pid>/clear_refs} where the kernel allows it (otherwise it counts from the
 * process's start), and {@code VmRSS} sampled.
 */
final class MemoryWatch implements AutoCloseable {
  static final long SAMPLE_MILLIS = 200;

  /**
   * Peaks in bytes. {@code jvmRssPeak} and {@code childrenRssPeak} are empty where /proc is not
   * there; {@code rssPeakSinceStart} says whether the JVM's VmHWM was reset at the start of the run
   * (false: since the JVM started).
   */
  record Peaks(long heapUsedSampled, long heapPoolsPeakSum, long heapMax, OptionalLong jvmRssPeak, boolean rssPeakSinceStart,
      OptionalLong childrenRssPeak, int children) {
    /** The JVM's and its children's resident peaks together (each its own peak: an upper bound of the simultaneous one). */
    OptionalLong stackRssPeak() {
      if (jvmRssPeak.isEmpty()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(jvmRssPeak.getAsLong() + childrenRssPeak.orElse(0));
    }
  }

  private final Thread thread;
  private final boolean rssReset;
  private final Map<Long, Long> childPeaks = new HashMap<>();
  private long heapUsedPeak;
  private long jvmRssSampledPeak;
  private volatile boolean running = true;

  private MemoryWatch() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    rssReset = clearPeak(ProcessHandle.current().pid());
    sample();
    thread = new Thread(this::loop, "load-memory-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Resets the peaks and samples until {@link #close}. */
  static MemoryWatch start() {
    return new MemoryWatch();
  }

  /** The peaks since {@link #start}. */
  synchronized Peaks peaks() {
    sample();
    long poolPeaks = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        poolPeaks += pool.getPeakUsage().getUsed();
      }
    }
    OptionalLong jvm = statusBytes(ProcessHandle.current().pid(), "VmHWM");
    OptionalLong jvmPeak = jvm.isPresent() ? OptionalLong.of(Math.max(jvm.getAsLong(), jvmRssSampledPeak)) : OptionalLong.empty();
    long children = childPeaks.values().stream().mapToLong(Long::longValue).sum();
    return new Peaks(heapUsedPeak, poolPeaks, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax(), jvmPeak, rssReset,
        jvm.isPresent() ? OptionalLong.of(children) : OptionalLong.empty(), childPeaks.size());
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  private void loop() {
    while (running) {
      synchronized (this) {
        sample();
      }
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    heapUsedPeak = Math.max(heapUsedPeak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    statusBytes(ProcessHandle.current().pid(), "VmRSS").ifPresent(rss -> jvmRssSampledPeak = Math.max(jvmRssSampledPeak, rss));
    List<ProcessHandle> descendants = ProcessHandle.current().descendants().toList();
    for (ProcessHandle child : descendants) {
      // a child's own VmHWM: kinesis-mock starts with the stack, so its peak is the run's
      OptionalLong peak = statusBytes(child.pid(), "VmHWM");
      if (peak.isEmpty()) {
        peak = statusBytes(child.pid(), "VmRSS");
      }
      peak.ifPresent(p -> childPeaks.merge(child.pid(), p, Math::max));
    }
  }

  /** Writes 5 to the process's clear_refs, which resets its VmHWM to its current resident set; false where that is not allowed. */
  private static boolean clearPeak(long pid) {
    try {
      Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static OptionalLong statusBytes(long pid, String field) {
    try {
      return statusField(Files.readString(Path.of("/proc", Long.toString(pid), "status")), field);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** A {@code kB} field of a /proc status text (e.g. {@code VmHWM:   123456 kB}) in bytes; empty when it is not there. */
  static OptionalLong statusField(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
        if (parts.length == 2 && parts[1].equals("kB")) {
          try {
            return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
          } catch (NumberFormatException e) {
            return OptionalLong.empty();
          }
        }
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }
}
