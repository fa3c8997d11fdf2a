package io.github.keycloaksts.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.policy.ConditionKeys;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.policy.PolicyCases;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.policy.ReferenceEvaluator;
import io.github.keycloaksts.policy.TrustPolicy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the policy language (Jazzer): any text is parsed and compiled, and these properties
 * must hold for every input:
 * <ul>
 *   <li>compiling never throws (a bad policy is reported as findings, never as an exception) and is deterministic:
 *       the same text gives the same findings;</li>
 *   <li>a policy compiles exactly when there is no error, and every finding's JSON Pointer names an element of the
 *       document as written: its parent resolves in the parsed document (the console highlights that element);</li>
 *   <li>evaluating a compiled policy never throws, gives the same decision twice and on a second compilation, the
 *       decision {@link ReferenceEvaluator} (written from docs/policy-language.md) reaches, one explanation sentence
 *       per statement, and names only statements of the policy;</li>
 *   <li>evaluation reads only {@link TrustPolicy#referencedKeys()}: dropping every other fact changes nothing (the
 *       exchange relies on it to skip facts nobody asks about).</li>
 * </ul>
 * Each input also seeds a generated policy and requests ({@code PolicyCases}), checked in the same way, so that the
 * replayed corpus checks decisions and not only parsing. In a normal
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
        PolicyCompilation compilation = compiledConsistently(document);
        if (compilation.policy().isEmpty()) {
            return;
        }
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

        decidesAsTheReference(document, JSON.readTree(document), compilation, request);
    }

    private static void generatedPolicyAgreesWithTheReference(long seed) {
        Random random = new Random(seed);
        JsonNode policy = PolicyCases.policy(random);
        PolicyCompilation compilation = compiledConsistently(policy.toString());
        assertThat(compilation.errors()).as(policy.toString()).isEmpty();
        for (int i = 0; i < 8; i++) {
            decidesAsTheReference("seed " + seed + ": " + policy, policy, compilation, PolicyCases.request(random));
        }
    }

    /** Compiles twice: same findings; compiled exactly when error-free; every pointer names a written element. */
    private static PolicyCompilation compiledConsistently(String document) {
        PolicyCompilation compilation = PolicyCompiler.compile(document, ACME);
        assertThat(PolicyCompiler.compile(document, ACME).findings()).as("deterministic: %s", document)
                .isEqualTo(compilation.findings());
        assertThat(compilation.valid()).as("compiled exactly when there is no error: %s", compilation.findings())
                .isEqualTo(compilation.errors().isEmpty());
        JsonNode tree = parsed(document);
        for (Finding finding : compilation.findings()) {
            assertThat(finding.message()).as("%s", finding).isNotBlank();
            if (tree == null) {
                assertThat(finding.path()).as("text that is no JSON is refused as a whole: %s", finding).isEmpty();
            } else if (!finding.path().isEmpty()) {
                String parent = finding.path().substring(0, finding.path().lastIndexOf('/'));
                assertThat(tree.at(parent).isContainerNode())
                        .as("%s names an element of an object or array of %s", finding, document).isTrue();
            }
        }
        return compilation;
    }

    /** The document as the compiler reads it, or null when it is not JSON it accepts. */
    private static JsonNode parsed(String document) {
        try {
            return StrictJson.read(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)),
                    PolicyCompiler.MAX_BYTES * 4);
        } catch (MalformedJsonException e) {
            return null;
        }
    }

    private static void decidesAsTheReference(String described, JsonNode policy, PolicyCompilation compilation,
                                              PolicyCases.Request request) {
        TrustPolicy compiled = compilation.policy().orElseThrow();
        Decision decision = compiled.evaluate(request.toAccessRequest());
        ReferenceEvaluator.Result expected = ReferenceEvaluator.evaluate(policy, request);
        assertThat(decision.outcome() + " " + decision.matchedStatements()).as("%s%n%s", described, request)
                .isEqualTo(expected.outcome() + " " + expected.matched());
        String seen = decision + " " + decision.explanation();
        assertThat(compiled.evaluate(request.toAccessRequest()) + " " + compiled.evaluate(request.toAccessRequest()).explanation())
                .as("deterministic: %s%n%s", described, request).isEqualTo(seen);
        TrustPolicy again = PolicyCompiler.compile(policy.toString(), ACME).policy().orElseThrow();
        assertThat(again.evaluate(request.toAccessRequest()) + " " + again.evaluate(request.toAccessRequest()).explanation())
                .as("a second compilation decides the same: %s%n%s", described, request).isEqualTo(seen);
        JsonNode statements = policy.get("Statement");
        int statementCount = statements.isArray() ? statements.size() : 1;
        assertThat(decision.explanation()).hasSize(Math.max(1, statementCount));
        assertThat(decision.matchedStatements()).as("named statements of %s", described).isSubsetOf(ids(statements));
        assertThat(decision.matchedStatements().isEmpty()).isEqualTo(decision.outcome() == Decision.Outcome.IMPLICIT_DENY);

        Map<String, List<String>> read = new LinkedHashMap<>();
        request.facts().forEach((key, values) -> {
            if (compiled.referencedKeys().contains(ConditionKeys.normalize(key))) {
                read.put(key, values);
            }
        });
        PolicyCases.Request referencedOnly = new PolicyCases.Request(request.origin(), request.principals(),
                request.action(), request.foreign(), read);
        assertThat(compiled.evaluate(referencedOnly.toAccessRequest()).toString())
                .as("evaluation reads only the referenced keys %s: %s%n%s", compiled.referencedKeys(), described, request)
                .isEqualTo(decision.toString());
    }

    /** Sid, or {@code #index}, of each statement: the names a decision may give. */
    private static List<String> ids(JsonNode statements) {
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode sid = list.get(i).get("Sid");
            ids.add(sid != null && sid.isTextual() ? sid.textValue() : "#" + i);
        }
        return ids;
    }
}
