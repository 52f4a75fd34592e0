package io.otelpipeline.core.servicegraph;

import java.util.Map;
import java.util.TreeMap;

/** One call between two nodes of the service graph, with both sides' latencies in seconds. */
public record Edge(
    String client,
    String server,
    String connectionType,
    boolean failed,
    double clientLatencySeconds,
    double serverLatencySeconds,
    Map<String, String> dimensions) {

  public static final String VIRTUAL_NODE = "virtual_node";
  public static final String MESSAGING_SYSTEM = "messaging_system";
  public static final String DATABASE = "database";
  /** The client of a root server span: whoever called the system from outside. */
  public static final String USER = "user";

  public Edge {
    dimensions = new TreeMap<>(dimensions);
  }
}
