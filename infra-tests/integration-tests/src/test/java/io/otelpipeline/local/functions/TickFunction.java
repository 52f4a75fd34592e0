package io.otelpipeline.local.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.otelpipeline.core.runtime.FunctionRuntime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A scheduled test function: answers with the event it got and the table it was told about. */
public final class TickFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final String table;

  public TickFunction() {
    this.table = FunctionRuntime.current().environment().getOrDefault("TABLE", null);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> out = new LinkedHashMap<>(event);
    out.put("table", table);
    return out;
  }
}
