package io.otelpipeline.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: the nearest folder, from the working directory up, that holds template.yaml. */
public final class ProjectDirectory {
  public static final String TEMPLATE = "template.yaml";
  /** This module, in the repository: its build puts S3Proxy and DynamoDB Local's native libraries under its target. */
  public static final Path LOCAL_RUNTIME = Path.of("infra-tests", "local-runtime");

  private ProjectDirectory() {}

  public static Path find() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(TEMPLATE))) {
        return dir;
      }
    }
    throw new IllegalStateException("no " + TEMPLATE + " in " + start + " or any folder above it; run from the repository");
  }
}
