package io.otelpipeline.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function the template declares: its handler, the environment the template gives it (Globals
 * merged with its own, intrinsics resolved to local resources), and how it is triggered. Memory
 * and architecture are what Lambda would bill it by.
 */
public record FunctionSpec(
    String logicalId,
    String name,
    String handlerClass,
    String handlerMethod,
    Duration timeout,
    int memoryMb,
    String architecture,
    Map<String, String> environment,
    boolean functionUrl,
    Optional<UrlCors> urlCors,
    List<KinesisSource> kinesisSources,
    List<ScheduleSource> schedules) {
  /** Lambda's MemorySize when the template gives none. */
  public static final int DEFAULT_MEMORY_MB = 128;
  /** Lambda's architecture when the template gives none. */
  public static final String DEFAULT_ARCHITECTURE = "x86_64";

  FunctionSpec withTimeout(Duration newTimeout) {
    return new FunctionSpec(logicalId, name, handlerClass, handlerMethod, newTimeout, memoryMb, architecture, environment, functionUrl, urlCors,
        kinesisSources, schedules);
  }
}
