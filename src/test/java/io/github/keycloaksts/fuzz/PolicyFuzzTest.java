package io.github.keycloaksts.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.policy.PolicyCases;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.policy.ReferenceEvaluator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the policy language (Jazzer): any text is parsed and compiled. A policy that does not
 * compile must say why, with a JSON Pointer; a policy that compiles is evaluated against a request built from the
 * rest of the input, and its decision must be the one {@link ReferenceEvaluator} (written from
 * docs/policy-language.md) reaches, with one explanation sentence per statement. Each input also seeds a generated
 * policy and requests ({@code PolicyCases}), compared with the reference in the same way, so that the replayed
 * corpus checks decisions and not only parsing. Nothing may throw. In a normal
 * build this replays the kept corpus ({@code src/test/resources/io/github/keycloaksts/fuzz/PolicyFuzzTestInputs});
 * {@code mvn test -Pfuzz} fuzzes for 10 minutes and adds what it finds to the corpus.
 */
class PolicyFuzzTest {

    private static final PolicyEnvironment ACME = new PolicyEnvironment("acme", Set.of("corp"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KEYS = {"kc:Username", "kc:Groups", "kc:SourceIp", "kc:CurrentTime", "kc:EpochTime",
            "kc:MultiFactorAuthPresent", "kc:MultiFactorAuthAge", "sts:ExternalId", "kc:PrincipalKrn", "kc:TagKeys",
            "kc:RequestTag/project", "kc:PrincipalAttribute/department", "kc:PrincipalAttribute/Department", "corp:sub",
            "corp:Sub", "sts:SourceIdentity"};

    @FuzzTest(maxDuration = "10m")
    void compileAndEvaluate(FuzzedDataProvider data) throws Exception {
        String document = data.consumeString(12 * 1024);
        // Fuzzed text rarely makes a valid policy that a request matches: each input also seeds a generated one.
        generatedPolicyAgreesWithTheReference(document.hashCode());
        PolicyCompilation compilation = PolicyCompiler.compile(document, ACME);
        if (compilation.policy().isEmpty()) {
            assertThat(compilation.errors()).as("a refused policy says why").isNotEmpty();
            for (Finding error : compilation.errors()) {
                assertThat(error.path()).as("a JSON Pointer (RFC 6901)").matches("(/[^/]*)*");
                assertThat(error.message()).isNotBlank();
            }
            return;
        }
        assertThat(compilation.errors()).isEmpty();
        List<String> principals = new ArrayList<>(List.of(
                "krn:keycloak:iam::acme:user/" + data.consumeString(20).replace('/', '_').replace(':', '_'),
                data.consumeBoolean() ? "krn:keycloak:iam::acme:root" : "krn:keycloak:iam::partners:root"));
        String action = data.pickValue(PolicyCompiler.ACTIONS);
        boolean foreign = data.consumeBoolean();
        Map<String, List<String>> facts = new LinkedHashMap<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            facts.put(data.pickValue(KEYS), List.of(data.consumeString(64)));
        }
        PolicyCases.Request request = new PolicyCases.Request(null, principals, action, foreign, facts);

        Decision decision = compilation.policy().get().evaluate(request.toAccessRequest());

        JsonNode policy = JSON.readTree(document);
        ReferenceEvaluator.Result expected = ReferenceEvaluator.evaluate(policy, request);
        assertThat(decision.outcome() + " " + decision.matchedStatements()).as("%s%n%s", document, request)
                .isEqualTo(expected.outcome() + " " + expected.matched());
        JsonNode statements = policy.get("Statement");
        int statementCount = statements.isArray() ? statements.size() : 1;
        assertThat(decision.explanation()).hasSize(Math.max(1, statementCount));
    }

    private static void generatedPolicyAgreesWithTheReference(long seed) {
        Random random = new Random(seed);
        JsonNode policy = PolicyCases.policy(random);
        PolicyCompilation compilation = PolicyCompiler.compile(policy.toString(), ACME);
        assertThat(compilation.errors()).as(policy.toString()).isEmpty();
        for (int i = 0; i < 8; i++) {
            PolicyCases.Request request = PolicyCases.request(random);
            Decision decision = compilation.policy().orElseThrow().evaluate(request.toAccessRequest());
            ReferenceEvaluator.Result expected = ReferenceEvaluator.evaluate(policy, request);
            assertThat(decision.outcome() + " " + decision.matchedStatements()).as("seed %d: %s%n%s", seed, policy, request)
                    .isEqualTo(expected.outcome() + " " + expected.matched());
        }
    }
}
