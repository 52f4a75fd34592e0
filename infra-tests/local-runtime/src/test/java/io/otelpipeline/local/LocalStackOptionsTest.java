package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the project's template gives the scraping functions under each kind of options. */
class LocalStackOptionsTest {
  @Test
  void aUsersRunLetsTheScraperReachThisMachinesExportersWhileTestsOptIn() {
    assertEquals("true", scraperEnvironment(LocalStackOptions.fromEnvironment(Map.of())).get("ALLOW_PRIVATE_TARGETS"));
    assertEquals("false", scraperEnvironment(LocalStackOptions.defaults()).get("ALLOW_PRIVATE_TARGETS"), "the template's default");
    assertEquals("true",
        scraperEnvironment(LocalStackOptions.defaults().parameter("AllowPrivateTargets", "true")).get("ALLOW_PRIVATE_TARGETS"));
  }

  @Test
  void theAllocatorInvokesTheScraperByTheNameTheLocalLambdaApiServes() {
    SamTemplate template = template(LocalStackOptions.defaults());
    assertEquals(template.function("ScraperFunction").orElseThrow().name(),
        template.function("TargetAllocatorFunction").orElseThrow().environment().get("SCRAPER_FUNCTION"));
  }

  @Test
  void aUsersWholeShellReachesTheFunctionsBeneathTheTemplateWhileTestsStayHermetic() {
    Map<String, String> shell = Map.of("MY_BACKEND", "http://jaeger:4318", "TELEMETRY_NAMESPACE", "mine", "AWS_ENDPOINT_URL", "http://elsewhere",
        "EXPORT_OTLP_ENDPOINT", "http://backend:4318");
    LocalStackOptions users = LocalStackOptions.fromEnvironment(shell);
    assertEquals(Map.of("MY_BACKEND", "http://jaeger:4318", "TELEMETRY_NAMESPACE", "mine", "EXPORT_OTLP_ENDPOINT", "http://backend:4318"),
        users.shell(), "AWS_ variables stay the stack's own");
    assertEquals(Map.of("EXPORT_OTLP_ENDPOINT", "http://backend:4318"), users.env(), "contract variables override the template");
    assertEquals(Map.of(), LocalStackOptions.defaults().shell());
  }

  private static Map<String, String> scraperEnvironment(LocalStackOptions options) {
    return template(options).function("ScraperFunction").orElseThrow().environment();
  }

  private static SamTemplate template(LocalStackOptions options) {
    return SamTemplate.load(options.template(), options.parameters(), options.stackName(), options.region());
  }
}
