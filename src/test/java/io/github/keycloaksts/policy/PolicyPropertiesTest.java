package io.github.keycloaksts.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties checked on generated inputs (jqwik). */
class PolicyPropertiesTest {

    /** The wildcard matcher agrees with a reference built from java.util.regex on small alphabets. */
    @Property(tries = 3000)
    void wildcardAgreesWithRegularExpressions(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        String regex = pattern.chars().mapToObj(c -> c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf((char) c)))
                .collect(Collectors.joining());
        assertThat(Wildcard.of(pattern).matches(text)).isEqualTo(Pattern.compile(regex, Pattern.DOTALL).matcher(text).matches());
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('a', 'b', '*', '?').ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars('a', 'b', 'c').ofMaxLength(16);
    }

    /** Whatever a policy's other statements say, a Deny that matches the request decides: explicit deny. */
    @Property(tries = 500)
    void denyAlwaysWins(@ForAll("statements") List<String> statements, @ForAll("requests") AccessRequest request,
                        @ForAll("statements") List<String> denies) {
        String denyStatements = denies.stream().map(s -> s.replace("\"Allow\"", "\"Deny\"")).collect(Collectors.joining(","));
        String catchAll = "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:*\"}";
        String allowing = "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", statements) + "]}";
        String denying = "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", statements)
                + (statements.isEmpty() ? "" : ",") + (denyStatements.isEmpty() ? "" : denyStatements + ",") + catchAll + "]}";

        compile(allowing);
        Decision after = compile(denying).evaluate(request);

        assertThat(after.outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(after.matchedStatements()).contains("#" + (statements.size() + denies.size()));
    }

    /** Adding an Allow statement never turns an allowed request into a denied one (Allows only add). */
    @Property(tries = 500)
    void allowsAreMonotonic(@ForAll("statements") List<String> statements, @ForAll("statement") String extra,
                            @ForAll("requests") AccessRequest request) {
        String base = "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", statements) + "]}";
        String more = "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", statements)
                + (statements.isEmpty() ? "" : ",") + extra.replace("\"Deny\"", "\"Allow\"") + "]}";
        if (compile(base).evaluate(request).allowed()) {
            assertThat(compile(more).evaluate(request).allowed()).isTrue();
        }
    }

    private static TrustPolicy compile(String json) {
        PolicyCompilation compilation = PolicyCompiler.compile(json, PolicyEnvironment.UNKNOWN);
        assertThat(compilation.errors()).as(json).isEmpty();
        return compilation.policy().orElseThrow();
    }

    @Provide
    Arbitrary<List<String>> statements() {
        return statement().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> statement() {
        Arbitrary<String> effect = Arbitraries.of("Allow", "Deny");
        Arbitrary<String> principal = Arbitraries.of("\"*\"", "{\"Keycloak\": \"krn:keycloak:iam::acme:root\"}",
                "{\"Keycloak\": \"krn:keycloak:iam::acme:user/alice\"}", "{\"Keycloak\": \"krn:keycloak:iam::other:root\"}");
        Arbitrary<String> action = Arbitraries.of("sts:AssumeRole", "sts:*", "sts:TagSession", "sts:Assume*");
        Arbitrary<String> condition = Arbitraries.of("", ", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"x\"}}",
                ", \"Condition\": {\"ForAnyValue:StringLike\": {\"kc:Groups\": \"/eng*\"}}",
                ", \"Condition\": {\"StringNotEquals\": {\"kc:Username\": \"alice\"}}",
                ", \"Condition\": {\"Bool\": {\"kc:MultiFactorAuthPresent\": \"true\"}}");
        return Combinators.combine(effect, principal, action, condition).as((e, p, a, c) ->
                "{\"Effect\": \"" + e + "\", \"Principal\": " + p + ", \"Action\": \"" + a + "\"" + c + "}");
    }

    @Provide
    Arbitrary<AccessRequest> requests() {
        Arbitrary<String> user = Arbitraries.of("alice", "bob");
        Arbitrary<String> realm = Arbitraries.of("acme", "other");
        Arbitrary<String> action = Arbitraries.of("sts:AssumeRole", "sts:TagSession", "sts:AssumeRoleWithWebIdentity");
        Arbitrary<List<String>> groups = Arbitraries.of("/eng", "/eng/sre", "/finance").list().ofMaxSize(2);
        Arbitrary<String> externalId = Arbitraries.of("", "x", "y");
        Arbitrary<Boolean> mfa = Arbitraries.of(true, false);
        return Combinators.combine(user, realm, action, groups, externalId, mfa).as((u, r, a, g, x, m) -> {
            AccessRequest.Builder request = AccessRequest.builder().principal(Krn.user(r, u)).principal(Krn.root(r)).action(a)
                    .value("kc:Username", u).value("kc:Groups", g).value("kc:MultiFactorAuthPresent", String.valueOf(m));
            if (!x.isEmpty()) {
                request.value("sts:ExternalId", x);
            }
            return request.build();
        });
    }
}
