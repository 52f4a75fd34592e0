package io.otelpipeline.core.scrape.exposition;

/** One label of a sample or exemplar, its value unescaped. */
public record Label(String name, String value) {}
