package io.github.keycloaksts.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Principals, actions and the AWS evaluation order: explicit Deny, then Allow, else implicit deny. */
class PolicyEvaluationTest {

    private static TrustPolicy compile(String json) {
        PolicyCompilation compilation = PolicyCompiler.compile(json, new PolicyEnvironment("acme", null));
        assertThat(compilation.errors()).as(json).isEmpty();
        return compilation.policy().orElseThrow();
    }

    private static AccessRequest alice(String... extraPrincipals) {
        AccessRequest.Builder request = AccessRequest.builder().principal(Krn.user("acme", "alice")).principal(Krn.root("acme"));
        for (String p : extraPrincipals) {
            request.principal(p);
        }
        return request.value("kc:Username", "alice").build();
    }

    private static final String AUDITOR = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "AuditFirm", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"},
               "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "7f3e-audit"}}}]}""";

    @Test
    void allowsTheNamedPrincipalAndSaysWhichStatement() {
        TrustPolicy policy = compile("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "Alice", "Effect": "Allow",
                  "Principal": {"Keycloak": ["krn:keycloak:iam::acme:user/alice", "krn:keycloak:iam::acme:user/carol"]},
                  "Action": "sts:AssumeRole"}]}""");

        Decision decision = policy.evaluate(alice());
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(decision.matchedStatements()).containsExactly("Alice");

        Decision bob = policy.evaluate(AccessRequest.builder().principal(Krn.user("acme", "bob")).build());
        assertThat(bob.outcome()).isEqualTo(Decision.Outcome.IMPLICIT_DENY);
        assertThat(bob.matchedStatements()).isEmpty();
        assertThat(bob.explanation()).containsExactly("Statement Alice (Allow): the principal is not one it names");
    }

    @Test
    void rootOfARealmMeansAnyPrincipalOfThatRealmOnly() {
        TrustPolicy policy = compile(AUDITOR);
        AccessRequest partner = AccessRequest.builder().principal(Krn.user("partners", "eve")).principal(Krn.root("partners"))
                .value("sts:ExternalId", "7f3e-audit").build();

        assertThat(policy.evaluate(partner).allowed()).isTrue();
        assertThat(policy.evaluate(AccessRequest.builder().principal(Krn.user("acme", "eve")).principal(Krn.root("acme"))
                .value("sts:ExternalId", "7f3e-audit").build()).allowed()).isFalse();
    }

    @Test
    void nearMissesAreExplained() {
        TrustPolicy policy = compile(AUDITOR);
        AccessRequest wrongExternalId = AccessRequest.builder().principal(Krn.root("partners")).value("sts:ExternalId", "guess").build();

        Decision decision = policy.evaluate(wrongExternalId);
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.IMPLICIT_DENY);
        assertThat(decision.explanation()).containsExactly(
                "Statement AuditFirm (Allow): principal and action match, but the condition StringEquals sts:ExternalId is false");
    }

    @Test
    void explicitDenyWinsOverAnyAllow() {
        TrustPolicy policy = compile("""
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "Everyone", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:*"},
                  {"Sid": "NotContractors", "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
                   "Condition": {"ForAnyValue:StringEquals": {"kc:Groups": "/contractors"}}}]}""");

        assertThat(policy.evaluate(alice()).matchedStatements()).containsExactly("Everyone");
        Decision contractor = policy.evaluate(AccessRequest.builder().principal(Krn.root("acme"))
                .value("kc:Groups", "/eng", "/contractors").build());
        assertThat(contractor.outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(contractor.matchedStatements()).containsExactly("NotContractors");
    }

    @Test
    void groupPrincipalsMatchThroughTheRequestsGroupKrns() {
        TrustPolicy policy = compile("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]}""");

        // The request lists every group the caller is in, parents of its groups included.
        assertThat(policy.evaluate(alice("krn:keycloak:iam::acme:group/engineering/sre", "krn:keycloak:iam::acme:group/engineering"))
                .matchedStatements()).containsExactly("#0");
        assertThat(policy.evaluate(alice("krn:keycloak:iam::acme:group/engineering-alumni")).allowed()).isFalse();
    }

    @Test
    void notPrincipalAndNotActionInvertTheMatch() {
        TrustPolicy policy = compile("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "NotAction": "sts:TagSession"},
                  {"Effect": "Deny", "NotPrincipal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"}, "Action": "sts:AssumeRole"}]}""");

        assertThat(policy.evaluate(alice()).allowed()).isTrue();
        assertThat(policy.evaluate(AccessRequest.builder().principal(Krn.user("acme", "alice")).principal(Krn.root("acme"))
                .action("sts:TagSession").build()).allowed()).isFalse();
        assertThat(policy.evaluate(AccessRequest.builder().principal(Krn.user("acme", "bob")).principal(Krn.root("acme")).build())
                .outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
    }

    @Test
    void actionsMatchWithWildcardsIgnoringCase() {
        TrustPolicy policy = compile("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "STS:assume*",
                 "Condition": {"StringEquals": {"kc:Realm": "acme"}}}}""");

        for (String action : new String[]{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"}) {
            assertThat(policy.evaluate(AccessRequest.builder().principal("x").action(action).value("kc:Realm", "acme").build())
                    .allowed()).as(action).isTrue();
        }
        assertThat(policy.evaluate(AccessRequest.builder().principal("x").action("sts:TagSession").value("kc:Realm", "acme").build())
                .allowed()).isFalse();
    }

    @Test
    void conditionsAreAndedAcrossKeysAndOperators() {
        TrustPolicy policy = compile("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                  "Condition": {"Bool": {"kc:MultiFactorAuthPresent": "true"},
                                "NumericLessThan": {"kc:MultiFactorAuthAge": "3600"},
                                "IpAddress": {"kc:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}}]}""");
        AccessRequest.Builder request = AccessRequest.builder().principal("x")
                .value("kc:MultiFactorAuthPresent", "true").value("kc:MultiFactorAuthAge", "60").value("kc:SourceIp", "10.1.1.1");

        assertThat(policy.evaluate(request.build()).allowed()).isTrue();
        assertThat(policy.evaluate(request.value("kc:SourceIp", "8.8.8.8").build()).allowed()).isFalse();
    }

    @Test
    void nullValuesAreAbsentNotEmpty() {
        AccessRequest request = AccessRequest.builder().principal("p").value("kc:Acr", (String) null)
                .value("kc:Amr", java.util.Arrays.asList("pwd", null)).build();

        assertThat(request.context()).doesNotContainKey("kc:acr");
        assertThat(request.values("KC:AMR")).containsExactly("pwd");
    }

    @Test
    void anEmptyPolicyDeniesEverything() {
        TrustPolicy policy = compile("{\"Version\": \"2012-10-17\", \"Statement\": []}");

        Decision decision = policy.evaluate(alice());
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.IMPLICIT_DENY);
        assertThat(decision.explanation()).containsExactly("The policy has no statement: nobody may assume the role");
    }

    @Test
    void roleKrnsSplitIntoPathAndName() {
        Krn nested = Krn.parse("krn:keycloak:iam::acme:role/partners/eu/auditor").orElseThrow();
        Krn top = Krn.parse("krn:keycloak:iam::acme:role/admin").orElseThrow();

        assertThat(nested.rolePath()).isEqualTo("/partners/eu/");
        assertThat(nested.roleName()).isEqualTo("auditor");
        assertThat(top.rolePath()).isEqualTo("/");
        assertThat(top.roleName()).isEqualTo("admin");
    }

    @Test
    void krnsParseOnlyInTheirDocumentedForms() {
        assertThat(Krn.parse("krn:keycloak:iam::acme:role/partners/auditor")).map(Krn::kind)
                .contains(java.util.Optional.of(Krn.Kind.ROLE));
        assertThat(Krn.parse("krn:keycloak:sts::acme:assumed-role/auditor/alice-session")).isPresent();
        assertThat(Krn.parse("krn:keycloak:iam::acme:group/a/b")).isPresent();
        for (String bad : new String[]{"krn:keycloak:iam:x:acme:root", "krn:keycloak:iam:::root", "krn:keycloak:iam::acme:",
                "krn:keycloak:iam::acme:thing/x", "arn:aws:iam::123:root", "krn:keycloak:iam::acme:group/",
                "krn:keycloak:sts::acme:assumed-role/only-role", "krn:keycloak:iam::ac me:root"}) {
            assertThat(Krn.parse(bad)).as(bad).isEmpty();
        }
    }
}
