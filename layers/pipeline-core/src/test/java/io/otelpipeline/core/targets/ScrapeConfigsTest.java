package io.otelpipeline.core.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeConfigsTest {
  static final String YAML =
      """
      receivers:
        prometheus:
          config:
            global:
              scrape_interval: 30s
            scrape_configs:
              - job_name: node
                scrape_interval: 15s
                static_configs:
                  - targets: ['node-a:9100', 'node-b:9100']
                    labels: {env: prod}
              - job_name: blackbox
                metrics_path: /probe
                scheme: https
                honor_labels: true
                params: {module: [http_2xx]}
                relabel_configs: []
                static_configs:
                  - targets: ['${env:PROBE_HOST}:9115']
      """;

  @Test
  void decodesJobsAndStaticTargets() {
    ScrapeConfigs c = ScrapeConfigs.from(PipelineConfig.parse("test.yaml", YAML, new FunctionEnvironment(Map.of("PROBE_HOST", "probe"))));
    assertEquals(
        List.of(
            new ScrapeTarget("node", "node-a:9100", Map.of("env", "prod"), "http", "/metrics", Map.of(), Duration.ofSeconds(15), Duration.ofSeconds(10), false, TargetSource.CONFIG),
            new ScrapeTarget("node", "node-b:9100", Map.of("env", "prod"), "http", "/metrics", Map.of(), Duration.ofSeconds(15), Duration.ofSeconds(10), false, TargetSource.CONFIG),
            new ScrapeTarget("blackbox", "probe:9115", Map.of(), "https", "/probe", Map.of("module", List.of("http_2xx")), Duration.ofSeconds(30), Duration.ofSeconds(10), true, TargetSource.CONFIG)),
        c.targets());
    assertEquals(
        Map.of("job_name", "blackbox", "scrape_interval", "30s", "scrape_timeout", "10s", "metrics_path", "/probe", "scheme", "https", "honor_labels", true, "params", Map.of("module", List.of("http_2xx"))),
        c.job("blackbox").orElseThrow().toScrapeConfig());
    assertEquals(List.of("receivers.prometheus.config.scrape_configs[blackbox].relabel_configs: not implemented by this pipeline (targets come from static_configs and the targets API)"), c.ignored());
  }

  @Test
  void badTargetInConfigNamesTheKey() {
    String yaml = "receivers:\n  prometheus:\n    config:\n      scrape_configs:\n        - job_name: x\n          static_configs:\n            - targets: ['nohost']\n";
    ConfigException e = assertThrows(ConfigException.class, () -> ScrapeConfigs.from(PipelineConfig.parse("c.yaml", yaml, new FunctionEnvironment(Map.of()))));
    assertTrue(e.getMessage().contains("c.yaml line 7: receivers.prometheus.config.scrape_configs[x].static_configs[0].address: 'nohost'"), e.getMessage());
  }

  @Test
  void tableEntryOverridesTheConfigForTheSameTarget() {
    ScrapeConfigs c = ScrapeConfigs.from(PipelineConfig.parse("test.yaml", YAML, new FunctionEnvironment(Map.of("PROBE_HOST", "probe"))));
    List<String> problems = new java.util.ArrayList<>();
    List<ScrapeTarget> merged =
        TargetCatalog.merge(
            c,
            List.of(
                new TargetEntry("node", "node-a:9100", Map.of("env", "staging"), java.util.Optional.empty(), TargetSource.REGISTERED),
                new TargetEntry("svc", "svc:8080", Map.of(), java.util.Optional.of(Duration.ofSeconds(20)), TargetSource.TABLE),
                new TargetEntry("svc", "bad address", Map.of(), java.util.Optional.empty(), TargetSource.TABLE)),
            problems::add);
    assertEquals(4, merged.size());
    assertEquals(Map.of("env", "staging"), merged.get(0).labels());
    assertEquals(Duration.ofSeconds(15), merged.get(0).interval());
    assertEquals(Duration.ofSeconds(20), merged.get(3).interval());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("address=bad address skipped: address:"), problems.get(0));
  }
}
