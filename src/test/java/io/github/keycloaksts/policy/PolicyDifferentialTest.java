package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compiled evaluator ({@link PolicyCompiler}, {@link TrustPolicy}) against {@link ReferenceEvaluator}, written
 * from docs/policy-language.md, on generated policies and requests of every caller origin: they must agree on the
 * outcome and on the statements that decided it. At least 100 000 cases per build (a few seconds);
 * {@code -Dpolicy.differential.cases=N} for more ({@code mvn test -Pfuzz} runs 5 000 000), and
 * {@code -Dpolicy.differential.seed=S} replays a reported seed.
 */
class PolicyDifferentialTest {

    private static final PolicyEnvironment ACME = new PolicyEnvironment("acme", Set.of("corp"));
    private static final int REQUESTS_PER_POLICY = 16;

    @Test
    void compiledEvaluatorAgreesWithTheReference() {
        int cases = Integer.getInteger("policy.differential.cases", 100_000);
        long seed = Long.getLong("policy.differential.seed", System.nanoTime());
        Random random = new Random(seed);
        int compared = 0;
        int invalid = 0;
        Map<Decision.Outcome, Integer> outcomes = new EnumMap<>(Decision.Outcome.class);
        List<String> invalidExamples = new ArrayList<>();
        while (compared < cases) {
            JsonNode policy = PolicyCases.policy(random);
            String json = policy.toString();
            PolicyCompilation compilation = PolicyCompiler.compile(json, ACME);
            if (!compilation.valid()) {
                invalid++;
                if (invalidExamples.size() < 3) {
                    invalidExamples.add(json + " " + compilation.errors());
                }
                continue;
            }
            TrustPolicy compiled = compilation.policy().orElseThrow();
            for (int i = 0; i < REQUESTS_PER_POLICY; i++) {
                PolicyCases.Request request = PolicyCases.request(random);
                Decision decision = compiled.evaluate(request.toAccessRequest());
                ReferenceEvaluator.Result expected = ReferenceEvaluator.evaluate(policy, request);
                assertThat(decision.outcome() + " " + decision.matchedStatements())
                        .as("seed %d, policy %s%nrequest %s%ncompiled explanation %s", seed, json, request, decision.explanation())
                        .isEqualTo(expected.outcome() + " " + expected.matched());
                outcomes.merge(decision.outcome(), 1, Integer::sum);
                compared++;
            }
        }
        // The generators only build valid policies: a compile error is a generator (or compiler) bug.
        assertThat(invalid).as("policies that did not compile, e.g. %s", invalidExamples).isZero();
        // Each outcome must be well represented, or the comparison proves little.
        assertThat(outcomes.values()).as("outcomes %s", outcomes).allMatch(n -> n > cases / 20);
    }
}
