package io.otelpipeline.local;

import java.time.Duration;

/**
 * What a local function has done so far: its invocations and their summed duration, each rounded
 * up to the millisecond as Lambda bills it, with the memory and architecture the template gives it.
 */
public record FunctionActivity(String logicalId, String name, int memoryMb, String architecture, long invocations, Duration billed) {}
