package io.github.keycloaksts;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture as DEVELOPERS.md describes it, enforced on the compiled classes: which of our packages each
 * package may use (the same list its {@code package-info.java} states), no cycles between packages, the policy
 * language and the role model free of Keycloak, and a {@code package-info.java} for every package.
 */
final class ArchitectureTest {

    private static final String ROOT = "io.github.keycloaksts";

    /** Package → the packages of ours it may use. A new package or a new edge is a decision: write it here. */
    static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("json", Set.of()),
            Map.entry("metrics", Set.of()),
            Map.entry("compat", Set.of()),
            Map.entry("oauth", Set.of()),
            Map.entry("policy", Set.of("json")),
            Map.entry("role", Set.of("policy", "json")),
            Map.entry("facts", Set.of("policy", "json")),
            Map.entry("store", Set.of("role", "policy", "json", "metrics", "compat")),
            Map.entry("session", Set.of("store", "facts", "role", "policy", "compat", "metrics")),
            Map.entry("subject", Set.of("session", "facts", "policy", "compat", "oauth")),
            Map.entry("federation", Set.of("subject", "session", "facts", "policy", "compat", "oauth", "json")),
            Map.entry("exchange", Set.of("subject", "federation", "session", "store", "facts", "role", "policy",
                    "metrics", "compat", "oauth", "json")),
            Map.entry("signin", Set.of("session", "store", "facts", "role", "policy", "json")),
            Map.entry("endpoints", Set.of("session", "signin", "policy", "compat", "json")),
            Map.entry("admin", Set.of("store", "session", "facts", "role", "policy", "json")),
            Map.entry("realmfile", Set.of("admin", "store", "role", "json")),
            Map.entry("discovery", Set.of("exchange", "endpoints"))));

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        assertThat(main).as("compiled main classes found").hasSizeGreaterThan(100);
    }

    @Test
    void everyPackageIsDeclared() {
        Set<String> packages = new TreeSet<>();
        main.forEach(type -> packages.add(type.getPackageName().substring(ROOT.length() + 1).split("\\.")[0]));
        assertThat(packages).as("packages of ours; add a new one to ALLOWED").isEqualTo(ALLOWED.keySet());
    }

    @Test
    void packagesUseOnlyWhatTheyMay() {
        ALLOWED.forEach((pkg, allowed) -> {
            String[] permitted = Stream.concat(Stream.of(pkg), allowed.stream()).map(p -> ROOT + "." + p + "..")
                    .toArray(String[]::new);
            ArchRule rule = classes().that().resideInAPackage(ROOT + "." + pkg + "..")
                    .should().onlyDependOnClassesThat(not(resideInAPackage(ROOT + "..")).or(resideInAnyPackage(permitted)))
                    .as(pkg + " uses only " + allowed);
            rule.check(main);
        });
    }

    @Test
    void noCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }

    /** The policy language compiles and evaluates without Keycloak (DESIGN.md); so does the role model. */
    @Test
    void policyAndRoleModelAreFreeOfKeycloak() {
        noClasses().that().resideInAnyPackage(ROOT + ".policy..", ROOT + ".role..")
                .should().dependOnClassesThat().resideInAnyPackage("org.keycloak..", "jakarta..")
                .check(main);
    }

    @Test
    void everyPackageSaysWhatItOwnsAndMayUse() throws IOException {
        Path sources = Path.of("src/main/java/io/github/keycloaksts");
        for (String pkg : ALLOWED.keySet()) {
            Path info = sources.resolve(pkg).resolve("package-info.java");
            assertThat(info).as(pkg).exists();
            String text = Files.readString(info);
            String declared = text.substring(text.indexOf("May use:") + "May use:".length(), text.indexOf("*/")).replace("*", " ");
            Set<String> named = new TreeSet<>();
            for (String word : declared.split("[^a-z]+")) {
                if (ALLOWED.containsKey(word)) {
                    named.add(word);
                }
            }
            assertThat(named).as(pkg + "'s package-info 'May use:' matches ArchitectureTest.ALLOWED").isEqualTo(new TreeSet<>(ALLOWED.get(pkg)));
        }
    }

}
