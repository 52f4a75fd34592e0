package io.otelpipeline.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Ports for emulators that must be told theirs up front (S3Proxy, kinesis-mock, DynamoDB Local).
 *
 * <p>Such a port is free when it is chosen and bound only later, by another process, so the
 * kernel may hand it meanwhile to anything that asks for any port: an outgoing connection's local
 * end, a server bound to port 0, another emulator. The emulator then fails to bind, or binds while
 * its readiness check reaches someone else. Ports are therefore taken below the kernel's
 * ephemeral range, which it never hands out by itself, and never twice in one JVM.
 */
public final class LocalPorts {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 20_000;
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private LocalPorts() {}

  /** A loopback port nobody listens on now, outside the ephemeral range, not handed out before by this JVM. */
  public static synchronized int free() {
    int below = Math.max(LOWEST + 1_000, ephemeralStart());
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port between " + LOWEST + " and " + below);
  }

  /** A process that ended while it was awaited: most likely it could not bind the port it was told. */
  public static final class ProcessExited extends IllegalStateException {
    public ProcessExited(String message) {
      super(message);
    }
  }

  /**
   * Returns once {@code process} accepts connections on the loopback {@code port}. Fails with
   * {@link ProcessExited} when the process ends first, or after {@code timeout}; each failure
   * names the process and ends with what {@code log} gives.
   */
  public static void awaitListening(String name, Process process, int port, Duration timeout, Supplier<String> log) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new ProcessExited(name + " exited with status " + process.exitValue() + ":\n" + log.get());
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while " + name + " starts", e);
        }
      }
    }
    throw new IllegalStateException(name + " did not listen on " + port + " within " + timeout.toSeconds() + " s:\n" + log.get());
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int ephemeralStart() {
    try {
      String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException notLinux) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
