package io.github.keycloaksts.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deny-by-default rules of issue 14 at the policy level: a Deny applies to every caller whatever its origin,
 * a missing fact never makes an Allow true (but still lets a "Deny unless" guardrail deny), and distinct attributes
 * or claims never merge by case.
 */
class DenyByDefaultTest {

    private static TrustPolicy compile(String statements) {
        String json = "{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}";
        PolicyCompilation compilation = PolicyCompiler.compile(json, new PolicyEnvironment("acme", null));
        assertThat(compilation.errors()).as(json).isEmpty();
        return compilation.policy().orElseThrow();
    }

    /** A caller that is not a principal of the role's realm: a user of realm partners. */
    private static AccessRequest partner() {
        return AccessRequest.builder().principal(Krn.user("partners", "eve")).principal(Krn.root("partners"))
                .foreign(true).value("kc:Username", "eve").build();
    }

    /** A web-identity caller: its identity provider's KRN, its claims, no user. */
    private static AccessRequest webIdentity() {
        return AccessRequest.builder().principal(Krn.identityProvider("acme", "corp")).foreign(true)
                .claim("corp", "sub", List.of("u-1")).action("sts:AssumeRoleWithWebIdentity").build();
    }

    private static final String TRUST_PARTNERS_AND_CORP = """
            {"Effect": "Allow", "Principal": {"Keycloak": ["krn:keycloak:iam::partners:root",
              "krn:keycloak:iam::acme:identity-provider/corp"]}, "Action": "sts:*"}""";

    @Test
    void aDenyForEveryoneAppliesToCallersOfEveryOrigin() {
        TrustPolicy policy = compile(TRUST_PARTNERS_AND_CORP + """
                , {"Sid": "Freeze", "Effect": "Deny", "Principal": "*", "Action": "sts:*"}""");

        assertThat(policy.evaluate(partner()).outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(policy.evaluate(webIdentity()).outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(policy.evaluate(webIdentity()).matchedStatements()).containsExactly("Freeze");
    }

    @Test
    void aDenyWithNotPrincipalAppliesToCallersOfEveryOrigin() {
        TrustPolicy policy = compile(TRUST_PARTNERS_AND_CORP + """
                , {"Effect": "Deny", "NotPrincipal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"}, "Action": "sts:*"}""");

        assertThat(policy.evaluate(partner()).outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(policy.evaluate(webIdentity()).outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
    }

    @Test
    void anAllowForEveryoneStillAdmitsOnlyTheRolesRealm() {
        TrustPolicy policy = compile("""
                {"Effect": "Allow", "Principal": "*", "Action": "sts:*", "Condition": {"Null": {"kc:Acr": "true"}}},
                {"Effect": "Allow", "NotPrincipal": {"Keycloak": "krn:keycloak:iam::acme:user/mallory"}, "Action": "sts:*"}""");

        assertThat(policy.evaluate(partner()).outcome()).isEqualTo(Decision.Outcome.IMPLICIT_DENY);
        assertThat(policy.evaluate(webIdentity()).outcome()).isEqualTo(Decision.Outcome.IMPLICIT_DENY);
        assertThat(policy.evaluate(AccessRequest.builder().principal(Krn.user("acme", "alice")).build()).allowed()).isTrue();
    }

    /** Each negated operator on a key the request lacks: false in an Allow (fail closed), true in a Deny. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', textBlock = """
            StringNotEquals;           kc:Username;            mallory
            StringNotEqualsIgnoreCase; kc:Username;            mallory
            StringNotLike;             kc:Username;            mal*
            NumericNotEquals;          kc:MultiFactorAuthAge;  0
            DateNotEquals;             kc:AuthTime;            2026-01-01
            NotIpAddress;              kc:SourceIp;            203.0.113.0/24
            ArnNotEquals;              kc:PrincipalKrn;        krn:keycloak:iam::acme:user/mallory
            ArnNotLike;                kc:PrincipalKrn;        krn:keycloak:iam::acme:user/mal*
            """)
    void aNegatedOperatorOnAMissingKeyFailsClosed(String operator, String key, String value) {
        String condition = "\"Condition\": {\"" + operator + "\": {\"" + key + "\": \"" + value + "\"}}";
        AccessRequest lacking = AccessRequest.builder().principal(Krn.user("acme", "alice")).build();

        TrustPolicy allow = compile("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:*\", " + condition + "}");
        assertThat(allow.evaluate(lacking).outcome()).as("Allow when %s %s", operator, key).isEqualTo(Decision.Outcome.IMPLICIT_DENY);
        assertThat(allow.evaluate(lacking).explanation().get(0)).contains("the condition " + operator + " " + key + " is false");

        TrustPolicy guardrail = compile("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:*\"}, "
                + "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:*\", " + condition + "}");
        assertThat(guardrail.evaluate(lacking).outcome()).as("Deny unless %s %s", key, value).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
    }

    @Test
    void documentedExceptionsStillHoldOnAMissingKey() {
        AccessRequest lacking = AccessRequest.builder().principal(Krn.user("acme", "alice")).build();
        for (String condition : List.of("{\"StringNotEqualsIfExists\": {\"kc:Username\": \"mallory\"}}",
                "{\"ForAllValues:StringNotEquals\": {\"kc:Groups\": \"/contractors\"}}",
                "{\"Null\": {\"kc:Username\": \"true\"}}")) {
            TrustPolicy policy = compile("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:*\", \"Condition\": " + condition + "}");
            assertThat(policy.evaluate(lacking).allowed()).as(condition).isTrue();
        }
    }

    @Test
    void aNegatedOperatorWhoseVariableIsMissingFailsClosed() {
        AccessRequest untagged = AccessRequest.builder().principal(Krn.user("acme", "alice")).value("kc:Username", "alice").build();
        String condition = "\"Condition\": {\"StringNotEquals\": {\"kc:Username\": \"${kc:PrincipalTag/blocked}\"}}";

        TrustPolicy allow = compile("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:*\", " + condition + "}");
        assertThat(allow.evaluate(untagged).outcome()).isEqualTo(Decision.Outcome.IMPLICIT_DENY);

        TrustPolicy guardrail = compile("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:*\"}, "
                + "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:*\", " + condition + "}");
        assertThat(guardrail.evaluate(untagged).outcome()).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
    }

    @Test
    void attributesThatDifferOnlyByCaseNeverMerge() {
        AccessRequest request = AccessRequest.builder().principal(Krn.user("acme", "mallory"))
                .value("kc:PrincipalAttribute/department", "engineering")
                .value("kc:PrincipalAttribute/DEPartment", "finance").build();
        TrustPolicy finance = compile("""
                {"Effect": "Allow", "Principal": "*", "Action": "sts:*",
                 "Condition": {"StringEquals": {"KC:principalattribute/department": "finance"}}}""");

        assertThat(finance.evaluate(request).allowed()).isFalse();
        assertThat(request.values("kc:principalATTRIBUTE/department")).containsExactly("engineering");
        assertThat(request.values("kc:PrincipalAttribute/DEPartment")).containsExactly("finance");
    }

    @Test
    void claimsThatDifferOnlyByCaseNeverMerge() {
        AccessRequest request = AccessRequest.builder().principal(Krn.identityProvider("acme", "corp")).foreign(true)
                .claim("corp", "groups", List.of("staff")).claim("corp", "Groups", List.of("admins")).build();

        assertThat(request.values("corp:groups")).containsExactly("staff");
        assertThat(request.values("corp:Groups")).containsExactly("admins");
    }

    @Test
    void tagKeysStayCaseInsensitive() {
        AccessRequest request = AccessRequest.builder().principal(Krn.user("acme", "alice")).value("kc:RequestTag/Project", "apollo").build();

        assertThat(request.values("kc:requesttag/PROJECT")).containsExactly("apollo");
    }

    @Test
    void aReservedNamespaceIsNeverAClaimKey() {
        for (String alias : List.of("kc", "KC", "Sts", "aws")) {
            assertThat(ConditionKeys.lookup(alias + ":department", null)).as(alias).isEmpty();
            assertThatThrownBy(() -> AccessRequest.builder().claim(alias, "username", List.of("root")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(alias);
        }
    }
}
