package io.otelpipeline.core.sampling.state;

import java.time.Instant;

/**
 * The right to export spans of a kept trace, held by one invocation at a time so that two
 * invocations holding the same spans (both found the trace's parked chunks due, or a late span
 * arrived while the decider was exporting) never both export them. It lapses at {@code until},
 * so an invocation that dies holding it delays those spans rather than losing them.
 *
 * @param claimant unique per sampler pass
 */
public record ExportClaim(String claimant, Instant until) {}
