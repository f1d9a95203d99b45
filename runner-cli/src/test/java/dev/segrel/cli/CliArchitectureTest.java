package dev.segrel.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The CLI parses, calls an in-port and prints: no business rule, no SQL, no SDK call of its own. */
@AnalyzeClasses(packages = "dev.segrel.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliArchitectureTest {

    @ArchTest
    static final ArchRule theCliUsesCoreThroughItsPortsOnly = noClasses()
            .that().resideInAPackage("dev.segrel.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.segrel.core.usecase..", "dev.segrel.core.internal..")
            .because("commands call use cases built by SegmentRelations");

    @ArchTest
    static final ArchRule theCliHoldsNoSqlNoSdkCall = noClasses()
            .that().resideInAPackage("dev.segrel.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "org.jdbi..",
                    "org.flywaydb..", "java.sql..", "org.neo4j.driver..", "io.lettuce..", "com.fasterxml.jackson..")
            .because("every call to a dependency is an adapter's, and JSON is core's codec");

    @ArchTest
    static final ArchRule commandsDoNotReachIntoOneAnother = noClasses()
            .that().resideInAnyPackage("dev.segrel.cli.queue..", "dev.segrel.cli.ops..", "dev.segrel.cli.related..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.segrel.cli.reprocess..");
}
