package io.otelpipeline.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A function the template declares: its handler, the environment the template gives it (Globals
 * merged with its own, intrinsics resolved to local resources), and how it is triggered.
 */
public record FunctionSpec(
    String logicalId,
    String name,
    String handlerClass,
    String handlerMethod,
    Duration timeout,
    Map<String, String> environment,
    boolean functionUrl,
    List<KinesisSource> kinesisSources,
    List<ScheduleSource> schedules) {}
