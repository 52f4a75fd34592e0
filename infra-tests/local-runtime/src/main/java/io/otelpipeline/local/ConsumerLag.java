package io.otelpipeline.local;

import java.time.Duration;

/**
 * How far one function's event source is behind its stream: records read and not yet handled,
 * and the age of the oldest of them or the reader's distance from the tip, whichever is larger.
 */
public record ConsumerLag(String function, String stream, long records, Duration behind) {}
