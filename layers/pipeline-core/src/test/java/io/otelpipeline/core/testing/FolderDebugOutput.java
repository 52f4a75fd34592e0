package io.otelpipeline.core.testing;

import io.otelpipeline.core.export.DebugOutput;
import io.otelpipeline.core.otlp.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The debug exporter's lines in a file per signal under a folder ({@code traces.jsonl},
 * {@code metrics.jsonl}, {@code logs.jsonl}): where the local stack's debug exporter writes, and
 * what tests read back.
 */
public final class FolderDebugOutput implements DebugOutput {
  private final Path folder;

  /** Creates {@code folder} when needed. */
  public FolderDebugOutput(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("debug exporter: cannot create the folder " + folder + ": " + e.getMessage(), e);
    }
    this.folder = folder;
  }

  /** The file that receives a signal's lines. */
  public static Path file(Path folder, Signal signal) {
    return folder.resolve(signal.name().toLowerCase(Locale.ROOT) + ".jsonl");
  }

  @Override
  public void write(Signal signal, String line) throws IOException {
    append(file(folder, signal), line);
  }

  private static synchronized void append(Path file, String line) throws IOException {
    Files.writeString(
        file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  @Override
  public String toString() {
    return "OTLP JSON lines under " + folder;
  }
}
