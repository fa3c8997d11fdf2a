package io.github.keycloaksts.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A templated value, compiled once with its literal parts precompiled ({@link TemplatedMatcher}), matches exactly
 * what the whole value resolved per request matches ({@link Template#resolve}, then {@link ValueMatcher#literal}):
 * the evaluation before the compiler was split. Covers what the policy differential test's pools do not: variables
 * in any KRN part, substituted colons, wildcards and escapes next to variables, empty substituted values.
 */
class TemplatedMatcherDifferentialTest {

    private static final String[] LITERALS = {"krn", "keycloak", ":", "::", "iam", "sts", "acme", "*", "?", "a", "b",
            "${*}", "${?}", "${$}", "/", "user/", "-", "", ":*", "*:"};
    private static final String[] VARIABLES = {"${kc:Username}", "${kc:PrincipalTag/team}", "${sts:ExternalId}"};
    private static final String[] KEYS = {"kc:Username", "kc:PrincipalTag/team", "sts:ExternalId"};
    private static final String[] VALUES = {"a", "b", "", "*", "?", ":", "a:b", "acme", "x:y:z", "user/a", "A", "iam"};
    private static final Operator[] OPERATORS = {Operator.STRING_EQUALS, Operator.STRING_EQUALS_IGNORE_CASE,
            Operator.STRING_LIKE, Operator.ARN_EQUALS, Operator.ARN_LIKE};

    @Test
    void aPrecompiledTemplateMatchesWhatTheResolvedValueMatches() {
        Random random = new Random(20260101);
        int compared = 0;
        for (int round = 0; round < 200_000; round++) {
            String text = template(random);
            ValidationErrors errors = new ValidationErrors();
            Optional<Template> template = Template.parse(text, "/x", Set.of(), errors);
            if (template.isEmpty() || !template.get().hasVariables()) {
                continue;
            }
            AccessRequest.Builder builder = AccessRequest.builder();
            for (String key : KEYS) {
                int pick = random.nextInt(VALUES.length + 2);
                if (pick < VALUES.length) {
                    builder.value(key, VALUES[pick]);
                } else if (pick == VALUES.length) {
                    builder.value(key, List.of("a", "b")); // several values: unresolvable
                } // else: missing
            }
            AccessRequest request = builder.build();
            Operator operator = OPERATORS[random.nextInt(OPERATORS.length)];
            ValueMatcher bound = new TemplatedMatcher(operator, template.get()).bind(request);
            Optional<String> resolved = template.get().resolve(request);
            if (resolved.isEmpty()) {
                assertNull(bound, text);
                continue;
            }
            ValueMatcher reference = ValueMatcher.literal(operator, resolved.get());
            for (int i = 0; i < 8; i++) {
                String subject = i == 0 ? Template.plain(resolved.get()) : requestValue(random);
                assertEquals(reference.matches(subject), bound.matches(subject),
                        operator + " " + text + " with " + request.context() + " against '" + subject + "'");
                compared++;
            }
        }
        System.out.println("compared " + compared);
    }

    private static String template(Random random) {
        StringBuilder text = new StringBuilder();
        int parts = 1 + random.nextInt(10);
        for (int i = 0; i < parts; i++) {
            text.append(random.nextInt(3) == 0 ? VARIABLES[random.nextInt(VARIABLES.length)]
                    : LITERALS[random.nextInt(LITERALS.length)]);
        }
        return text.toString();
    }

    private static String requestValue(Random random) {
        List<String> pieces = new ArrayList<>(List.of("krn", "keycloak", ":", "iam", "acme", "a", "b", "A", "*", "?",
                "$", "/", "user/", "-", "x", "y", "z", ""));
        StringBuilder text = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            text.append(pieces.get(random.nextInt(pieces.size())));
        }
        return text.toString();
    }
}
