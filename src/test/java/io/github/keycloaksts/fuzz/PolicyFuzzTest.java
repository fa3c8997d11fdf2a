package io.github.keycloaksts.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the policy language (Jazzer): any text is parsed and compiled, and every policy that
 * compiles is evaluated against a request built from the rest of the input. Nothing may throw, and every
 * evaluation must give a decision with its explanation. In a normal build this replays the kept corpus
 * ({@code src/test/resources/io/github/keycloaksts/fuzz/PolicyFuzzTestInputs}); {@code mvn test -Pfuzz} fuzzes for
 * 10 minutes and adds what it finds to the corpus.
 */
class PolicyFuzzTest {

    private static final PolicyEnvironment ACME = new PolicyEnvironment("acme", Set.of("corp"));
    private static final String[] KEYS = {"kc:Username", "kc:Groups", "kc:SourceIp", "kc:CurrentTime", "kc:EpochTime",
            "kc:MultiFactorAuthPresent", "kc:MultiFactorAuthAge", "sts:ExternalId", "kc:PrincipalKrn", "kc:TagKeys",
            "kc:RequestTag/project", "kc:PrincipalAttribute/department", "corp:sub", "sts:SourceIdentity"};

    @FuzzTest(maxDuration = "10m")
    void compileAndEvaluate(FuzzedDataProvider data) {
        String document = data.consumeString(12 * 1024);
        PolicyCompilation compilation = PolicyCompiler.compile(document, ACME);
        assertThat(compilation.valid()).isEqualTo(compilation.policy().isPresent());
        if (compilation.policy().isEmpty()) {
            assertThat(compilation.errors()).isNotEmpty();
            return;
        }
        AccessRequest.Builder request = AccessRequest.builder()
                .principal("krn:keycloak:iam::acme:user/" + data.consumeString(20).replace('/', '_').replace(':', '_'))
                .action(data.pickValue(PolicyCompiler.ACTIONS))
                .fromOtherRealm(data.consumeBoolean());
        int facts = data.consumeInt(0, 8);
        for (int i = 0; i < facts; i++) {
            request.value(data.pickValue(KEYS), data.consumeString(64));
        }
        Decision decision = compilation.policy().get().evaluate(request.build());
        assertThat(decision.outcome()).isNotNull();
        assertThat(decision.explanation()).isNotNull();
    }
}
