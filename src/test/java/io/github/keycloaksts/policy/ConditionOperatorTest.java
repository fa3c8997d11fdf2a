package io.github.keycloaksts.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operator and qualifier, with AWS's documented semantics. Each row: operator, condition key, policy values
 * ('|'-separated), request values ('|'-separated; '-' means the request lacks the key), expected result.
 */
class ConditionOperatorTest {

    static boolean evaluate(String operator, String key, String policyValues, String requestValues) {
        String values = Arrays.stream(policyValues.split("\\|", -1)).map(v -> "\"" + v.replace("\\", "\\\\") + "\"")
                .reduce((a, b) -> a + "," + b).orElseThrow();
        String policy = """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"%s": {"%s": [%s]}}}}""".formatted(operator, key, values);
        PolicyCompilation compiled = PolicyCompiler.compile(policy, PolicyEnvironment.UNKNOWN);
        assertThat(compiled.errors()).as(policy).isEmpty();
        AccessRequest.Builder request = AccessRequest.builder().principal(Krn.user("acme", "alice"));
        if (!requestValues.equals("-")) {
            request.value(key, List.of(requestValues.split("\\|", -1)));
        }
        request.value("kc:Username", "alice");
        return compiled.policy().orElseThrow().evaluate(request.build()).allowed();
    }

    @ParameterizedTest(name = "{0} {1} {2} vs {3} -> {4}")
    @CsvSource(delimiter = ';', textBlock = """
            StringEquals;               sts:ExternalId;  7f3e;            7f3e;          true
            StringEquals;               sts:ExternalId;  7f3e;            7F3E;          false
            StringEquals;               sts:ExternalId;  a|7f3e;          7f3e;          true
            StringEquals;               sts:ExternalId;  7f3e;            -;             false
            StringEqualsIfExists;       sts:ExternalId;  7f3e;            -;             true
            StringEqualsIfExists;       sts:ExternalId;  7f3e;            other;         false
            StringNotEquals;            sts:ExternalId;  7f3e;            other;         true
            StringNotEquals;            sts:ExternalId;  7f3e;            7f3e;          false
            StringNotEquals;            sts:ExternalId;  7f3e;            -;             false
            StringNotEqualsIfExists;    sts:ExternalId;  7f3e;            -;             true
            StringEqualsIgnoreCase;     kc:Username;     ALICE;           alice;         true
            StringNotEqualsIgnoreCase;  kc:Acr;          GOLD;            gold;          false
            StringLike;                 kc:Acr;          urn:*:mfa;       urn:acme:mfa;  true
            StringLike;                 kc:Acr;          urn:?:mfa;       urn:ab:mfa;    false
            StringLike;                 kc:Acr;          URN:*;           urn:x;         false
            StringNotLike;              kc:Acr;          *test*;          prod;          true
            StringNotLike;              kc:Acr;          *test*;          -;             false
            NumericLessThan;            kc:MultiFactorAuthAge; 300;       120;           true
            NumericLessThan;            kc:MultiFactorAuthAge; 300;       300;           false
            NumericLessThanEquals;      kc:MultiFactorAuthAge; 300;       300;           true
            NumericGreaterThan;         kc:MultiFactorAuthAge; 1.5;       2;             true
            NumericGreaterThanEquals;   kc:MultiFactorAuthAge; 2;         2.0;           true
            NumericEquals;              kc:MultiFactorAuthAge; 10;        10.00;         true
            NumericEquals;              kc:MultiFactorAuthAge; 10;        ten;           false
            NumericNotEquals;           kc:MultiFactorAuthAge; 10;        ten;           true
            NumericLessThan;            kc:MultiFactorAuthAge; 300;       -;             false
            DateLessThan;               kc:CurrentTime;  2030-01-01T00:00:00Z; 2026-11-27T10:00:00Z; true
            DateGreaterThan;            kc:CurrentTime;  2030-01-01T00:00:00Z; 2026-11-27T10:00:00Z; false
            DateEquals;                 kc:CurrentTime;  1767225600;      2026-01-01T00:00:00Z; true
            DateGreaterThanEquals;      kc:CurrentTime;  2026-01-01;      2026-01-01T00:00:00+00:00; true
            DateNotEquals;              kc:CurrentTime;  2026-01-01;      not-a-date;    true
            DateLessThanEquals;         kc:AuthTime;     2026-01-01T01:00:00+01:00; 2026-01-01T00:00:00Z; true
            Bool;                       kc:MultiFactorAuthPresent; true;  true;          true
            Bool;                       kc:MultiFactorAuthPresent; true;  false;         false
            Bool;                       kc:MultiFactorAuthPresent; true;  -;             false
            BoolIfExists;               kc:MultiFactorAuthPresent; true;  -;             true
            BinaryEquals;               sts:SourceIdentity; QmluYXJ5;     QmluYXJ5;      true
            BinaryEquals;               sts:SourceIdentity; QmluYXJ5;     T3RoZXI=;      false
            IpAddress;                  kc:SourceIp;     203.0.113.0/24;  203.0.113.77;  true
            IpAddress;                  kc:SourceIp;     203.0.113.0/24;  203.0.114.1;   false
            IpAddress;                  kc:SourceIp;     10.0.0.0/8|2001:db8::/32; 2001:db8:1::5; true
            IpAddress;                  kc:SourceIp;     192.0.2.1;       192.0.2.1;     true
            IpAddress;                  kc:SourceIp;     192.0.2.0/24;    example.com;   false
            NotIpAddress;               kc:SourceIp;     10.0.0.0/8;      192.0.2.1;     true
            NotIpAddress;               kc:SourceIp;     10.0.0.0/8;      10.1.2.3;      false
            ArnLike;                    kc:PrincipalKrn; krn:keycloak:iam::acme:user/*; krn:keycloak:iam::acme:user/alice; true
            ArnLike;                    kc:PrincipalKrn; krn:keycloak:iam::*:root;      krn:keycloak:iam::a:b:root; false
            ArnEquals;                  kc:PrincipalKrn; krn:keycloak:iam::acme:user/alice; krn:keycloak:iam::acme:user/alice; true
            ArnNotLike;                 kc:PrincipalKrn; krn:keycloak:iam::acme:client/*; krn:keycloak:iam::acme:user/alice; true
            ArnNotEquals;               kc:PrincipalKrn; krn:keycloak:iam::acme:user/alice; krn:keycloak:iam::acme:user/alice; false
            ArnLike;                    kc:PrincipalKrn; krn:keycloak:iam::acme:user/*; not-a-krn; false
            ForAnyValue:StringEquals;   kc:Groups;       /finance;        /eng|/finance; true
            ForAnyValue:StringEquals;   kc:Groups;       /finance;        /eng;          false
            ForAnyValue:StringEquals;   kc:Groups;       /finance;        -;             false
            ForAllValues:StringEquals;  kc:Groups;       /eng|/finance;   /eng|/finance; true
            ForAllValues:StringEquals;  kc:Groups;       /eng|/finance;   /eng|/hr;      false
            ForAllValues:StringEquals;  kc:Groups;       /eng;            -;             true
            StringEquals;               kc:Groups;       /finance;        /eng|/finance; true
            StringNotEquals;            kc:Groups;       /finance;        /eng|/finance; false
            ForAnyValue:StringNotEquals; kc:Groups;      /finance;        /eng|/finance; true
            ForAllValues:StringNotEquals; kc:Groups;     /finance;        /eng|/hr;      true
            ForAnyValue:StringLike;     kc:RealmRoles;   admin-*;         user|admin-eu; true
            StringEquals;               kc:PrincipalAttribute/department; sales; sales; true
            StringEquals;               kc:RequestTag/project; apollo;    apollo;        true
            StringEquals;               corp:department; sales;           sales;         true
            StringEquals;               kc:ClientId;     ${kc:Username}-app; alice-app;  true
            StringEquals;               kc:ClientId;     ${kc:Username}-app; bob-app;    false
            StringLike;                 kc:ClientId;     ${kc:Username}*; alice-cli;     true
            StringEquals;               kc:ClientId;     ${sts:RoleSessionName}; x;      false
            StringLike;                 kc:ClientId;     a${*}b;          a*b;           true
            StringLike;                 kc:ClientId;     a${*}b;          axxb;          false
            StringEquals;               kc:ClientId;     ${$}{x};         ${x};          true
            """)
    void operatorSemantics(String operator, String key, String policyValues, String requestValues, boolean expected) {
        assertThat(evaluate(operator.trim(), key.trim(), policyValues.trim(), requestValues.trim())).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void nullTestsPresence() {
        String policy = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"Null": {"sts:ExternalId": "true", "kc:Username": "false"}}}]}""";
        TrustPolicy compiled = PolicyCompiler.compile(policy, PolicyEnvironment.UNKNOWN).policy().orElseThrow();

        assertThat(compiled.evaluate(AccessRequest.builder().principal("p").value("kc:Username", "alice").build()).allowed()).isTrue();
        assertThat(compiled.evaluate(AccessRequest.builder().principal("p").value("kc:Username", "alice")
                .value("sts:ExternalId", "x").build()).allowed()).isFalse();
        assertThat(compiled.evaluate(AccessRequest.builder().principal("p").build()).allowed()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void substitutedValuesNeverActAsWildcards() {
        String policy = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"StringLike": {"kc:ClientId": "${kc:Username}"}}}]}""";
        TrustPolicy compiled = PolicyCompiler.compile(policy, PolicyEnvironment.UNKNOWN).policy().orElseThrow();

        assertThat(compiled.evaluate(AccessRequest.builder().principal("p").value("kc:Username", "*")
                .value("kc:ClientId", "anything").build()).allowed()).isFalse();
        assertThat(compiled.evaluate(AccessRequest.builder().principal("p").value("kc:Username", "*")
                .value("kc:ClientId", "*").build()).allowed()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void legacyVersionTreatsVariablesAsText() {
        String policy = """
                {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"kc:ClientId": "${kc:Username}"}}}]}""";
        TrustPolicy compiled = PolicyCompiler.compile(policy, PolicyEnvironment.UNKNOWN).policy().orElseThrow();

        assertThat(compiled.evaluate(AccessRequest.builder().principal("p").value("kc:Username", "alice")
                .value("kc:ClientId", "${kc:Username}").build()).allowed()).isTrue();
    }
}
