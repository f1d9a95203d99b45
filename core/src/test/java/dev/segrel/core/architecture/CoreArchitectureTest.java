package dev.segrel.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.domain.JavaClass;
import dev.segrel.core.SegmentRelations;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What Maven cannot check: core stays a plain, framework-free library with a clean hexagon. */
@AnalyzeClasses(packages = "dev.segrel.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

    @ArchTest
    static final ArchRule coreDependsOnTheJdkAndSlf4jOnly = classes()
            .that().resideInAPackage("dev.segrel.core..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "org.slf4j..", "dev.segrel.core..")
            .because("core is embeddable in any JVM service without a framework or an adapter");

    @ArchTest
    static final ArchRule domainDependsOnNothingElseInCore = noClasses()
            .that().resideInAPackage("dev.segrel.core.domain..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("dev.segrel.core.port..", "dev.segrel.core.usecase..", "dev.segrel.core.internal..", "dev.segrel.core.message..");

    @ArchTest
    static final ArchRule inPortsDoNotDependOnOutPorts = noClasses()
            .that().resideInAPackage("dev.segrel.core.port.in..")
            .should().dependOnClassesThat().resideInAPackage("dev.segrel.core.port.out..");

    @ArchTest
    static final ArchRule outPortsDoNotDependOnInPorts = noClasses()
            .that().resideInAPackage("dev.segrel.core.port.out..")
            .should().dependOnClassesThat().resideInAPackage("dev.segrel.core.port.in..");

    @ArchTest
    static final ArchRule portsDoNotDependOnMachinery = noClasses()
            .that().resideInAPackage("dev.segrel.core.port..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("dev.segrel.core.internal..", "dev.segrel.core.usecase..");

    @ArchTest
    static final ArchRule portsDoNotDependOnTheIndex = noClasses()
            .that().resideInAPackage("dev.segrel.core.port..")
            .should().dependOnClassesThat().resideInAPackage("dev.segrel.core.index..")
            .because("the index is one way of answering the graph port, not part of any port's contract");

    @ArchTest
    static final ArchRule onlyTheFactoryBuildsUseCases = classes()
            .that().resideInAPackage("dev.segrel.core.usecase..")
            .should().onlyBeAccessed().byClassesThat(JavaClass.Predicates.resideInAPackage("dev.segrel.core.usecase..")
                    .or(JavaClass.Predicates.belongToAnyOf(SegmentRelations.class)))
            .because("SegmentRelations is the one way in");

    @ArchTest
    static final ArchRule noInjectionAnnotationsInCore = noClasses()
            .that().resideInAPackage("dev.segrel.core..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("jakarta.inject..", "javax.inject..", "com.google.inject..");
}
