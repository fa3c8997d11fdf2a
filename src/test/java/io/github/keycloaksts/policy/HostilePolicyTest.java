package io.github.keycloaksts.policy;

import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.json.StrictJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile documents and patterns finish fast with clear errors; the timeouts are guards, not measurements. */
class HostilePolicyTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void pathologicalWildcardsMatchInLinearTime() {
        // Exponential for a backtracking matcher: many stars, a text of near-misses, and no match at the end.
        Wildcard pattern = Wildcard.of("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        String text = "a".repeat(100_000);
        for (int i = 0; i < 20; i++) {
            assertThat(pattern.matches(text)).isFalse();
        }
        assertThat(pattern.matches(text + "b")).isTrue();
        Wildcard questions = Wildcard.of("?".repeat(500) + "*" + "?".repeat(500) + "x");
        assertThat(questions.matches("y".repeat(50_000))).isFalse();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void aOneMegabyteDocumentIsRefusedBeforeParsing() {
        String huge = "{\"Version\": \"2012-10-17\", \"Statement\": [], \"Id\": \"" + "x".repeat(1 << 20) + "\"}";

        PolicyCompilation compilation = PolicyCompiler.compile(huge, PolicyEnvironment.UNKNOWN);

        assertThat(compilation.valid()).isFalse();
        assertThat(compilation.errors()).singleElement().extracting(Finding::message).asString().contains("larger than");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void tenThousandDeepNestingIsRefused() {
        String deep = "{\"Version\": \"2012-10-17\", \"Statement\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        PolicyCompilation compilation = PolicyCompiler.compile(deep, PolicyEnvironment.UNKNOWN);

        assertThat(compilation.errors()).singleElement().extracting(Finding::message).asString().contains("nesting");
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        byte[] invalid = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> StrictJson.read(new ByteArrayInputStream(invalid), 100))
                .isInstanceOf(MalformedJsonException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void numbersOutOfRangeAreErrorsNotCrashes() {
        for (String number : new String[]{"1e999999999", "99999999999999999999999999999999999", "NaN", "-", "0x10"}) {
            PolicyCompilation compilation = PolicyCompiler.compile("""
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                     "Condition": {"NumericLessThan": {"kc:MultiFactorAuthAge": "%s"}}}]}""".formatted(number), PolicyEnvironment.UNKNOWN);
            assertThat(compilation.valid()).as(number).isFalse();
        }
        PolicyCompilation rawNumber = PolicyCompiler.compile("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"NumericLessThan": {"kc:MultiFactorAuthAge": %s}}}]}""".formatted("9".repeat(40)), PolicyEnvironment.UNKNOWN);
        assertThat(rawNumber.valid()).isFalse();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void hugeRequestValuesDoNotSlowEvaluationDown() {
        TrustPolicy policy = PolicyCompiler.compile("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"ForAnyValue:StringLike": {"kc:Groups": "*x*y*z*w*v*u*"}}}]}""", PolicyEnvironment.UNKNOWN)
                .policy().orElseThrow();
        String[] groups = new String[1000];
        java.util.Arrays.fill(groups, "x".repeat(1000));

        assertThat(policy.evaluate(AccessRequest.builder().principal("p").value("kc:Groups", groups).build()).allowed()).isFalse();
    }
}
