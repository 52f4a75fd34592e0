package io.otelpipeline.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.otelpipeline.core.runtime.LambdaRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer's packages depend one way: no package, at any depth, is part of a cycle with another;
 * the spanmetrics and servicegraph connectors are fed by the span pass of {@code core.spans} and
 * composed only in {@code core.connectors}; and Lambda's own types stay in {@code core.lambda}, the
 * one adapter between Lambda's events and the domain. It logs through SLF4J alone, so that each
 * line has a level Lambda's log-level controls can filter and the invocation's request id, in the
 * format of the layer's log4j2.xml.
 */
class PackageDependenciesTest {
  private static JavaClasses layer;

  @BeforeAll
  static void importLayer() {
    layer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.otelpipeline.core");
  }

  @Test
  void noPackageIsPartOfACycle() {
    slices().matching("io.otelpipeline.core.(**)").should().beFreeOfCycles().check(layer);
  }

  @Test
  void theSpanConnectorsAreFedByOnePassAndKnowNothingOfEachOther() {
    String pass = "io.otelpipeline.core.spans..";
    String spanMetrics = "io.otelpipeline.core.spanmetrics..";
    String serviceGraph = "io.otelpipeline.core.servicegraph..";
    String consumer = "io.otelpipeline.core.connectors..";
    noClasses().that().resideInAPackage(spanMetrics).should().dependOnClassesThat().resideInAnyPackage(serviceGraph, consumer).check(layer);
    noClasses().that().resideInAPackage(serviceGraph).should().dependOnClassesThat().resideInAnyPackage(spanMetrics, consumer).check(layer);
    noClasses().that().resideInAPackage(pass).should().dependOnClassesThat().resideInAnyPackage(spanMetrics, serviceGraph, consumer).check(layer);
  }

  @Test
  void onlyTheLambdaAdapterKnowsLambdasTypes() {
    noClasses().that().resideOutsideOfPackage("io.otelpipeline.core.lambda..")
        .should().dependOnClassesThat().resideInAPackage("com.amazonaws.services.lambda..")
        .check(layer);
  }

  /** Except Lambda's debug output: the debug exporter's OTLP JSON lines on stdout are exported data, not log lines. */
  @Test
  void noClassWritesToTheStandardStreams() {
    noClasses().that().doNotHaveFullyQualifiedName(LambdaRuntime.class.getName())
        .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
        .check(layer);
  }

  @Test
  void noClassNamesTheLoggingBackend() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.logging..").check(layer);
  }
}
