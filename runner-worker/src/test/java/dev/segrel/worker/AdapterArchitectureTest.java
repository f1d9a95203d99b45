package dev.segrel.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What Maven cannot check across modules: each adapter speaks one technology and knows no other
 * adapter, and none reaches into core's machinery. Runs here because the worker has every adapter on
 * its class path.
 */
@AnalyzeClasses(packages = "dev.segrel", importOptions = ImportOption.DoNotIncludeTests.class)
class AdapterArchitectureTest {

    @ArchTest
    static final ArchRule adaptersDoNotDependOnEachOther = slices()
            .matching("dev.segrel.(neo4j|postgres|sqs|dragonfly)..")
            .should().notDependOnEachOther()
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule adaptersDoNotUseCoreInternals = noClasses()
            .that().resideInAnyPackage("dev.segrel.neo4j..", "dev.segrel.postgres..", "dev.segrel.sqs..",
                    "dev.segrel.dragonfly..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.segrel.core.internal..", "dev.segrel.core.usecase..")
            .because("adapters implement ports; use cases are reached through port.in and SegmentRelations");

    @ArchTest
    static final ArchRule adaptersDoNotDependOnRunners = noClasses()
            .that().resideInAnyPackage("dev.segrel.neo4j..", "dev.segrel.postgres..", "dev.segrel.sqs..",
                    "dev.segrel.dragonfly..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.segrel.worker..", "dev.segrel.cli..");

    @ArchTest
    static final ArchRule theWorkerUsesCoreThroughItsPortsOnly = noClasses()
            .that().resideInAPackage("dev.segrel.worker..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.segrel.core.usecase..", "dev.segrel.core.internal..")
            .because("the runner wires use cases built by SegmentRelations; their services are core's own");

    @ArchTest
    static final ArchRule theWorkerHoldsNoSqlNoSdkCall = noClasses()
            .that().resideInAPackage("dev.segrel.worker..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "org.jdbi..",
                    "org.flywaydb..", "java.sql..", "org.neo4j.driver..", "io.lettuce..")
            .because("every call to a dependency is an adapter's; the runner only wires and schedules");
}
