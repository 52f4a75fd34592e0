package io.otelpipeline.load.cost;

import java.util.Locale;

/** A Lambda function's instruction set, which sets its price per GB-second. */
public enum Architecture {
  ARM64,
  X86_64;

  /** The template's spelling: {@code arm64} or {@code x86_64}. */
  public static Architecture of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "arm64" -> ARM64;
      case "x86_64", "x86" -> X86_64;
      default -> throw new IllegalArgumentException("unknown Lambda architecture '" + name + "': use arm64 or x86_64");
    };
  }
}
