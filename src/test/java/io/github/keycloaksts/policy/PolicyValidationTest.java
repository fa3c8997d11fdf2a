package io.github.keycloaksts.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error and warning the compiler reports, with the JSON Pointer of the offending element. */
class PolicyValidationTest {

    private static List<Finding> findings(String json) {
        return PolicyCompiler.compile(json, new PolicyEnvironment("acme", Set.of("corp"))).findings();
    }

    private static String statement(String body) {
        return "{\"Version\": \"2012-10-17\", \"Statement\": [{" + body + "}]}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an object              | []                                                                                    | ''
            unknown top-level element  | {"Version": "2012-10-17", "Statement": [], "Extra": 1}                               | /Extra
            bad version                | {"Version": "2020-01-01", "Statement": []}                                           | /Version
            missing statement          | {"Version": "2012-10-17"}                                                            | /Statement
            statement a string         | {"Version": "2012-10-17", "Statement": "x"}                                          | /Statement
            missing effect             | %s"Principal": "*", "Action": "sts:AssumeRole"}]}                                    | /Statement/0/Effect
            lower-case effect          | %s"Effect": "allow", "Principal": "*", "Action": "sts:AssumeRole"}]}                 | /Statement/0/Effect
            no principal               | %s"Effect": "Allow", "Action": "sts:AssumeRole"}]}                                   | /Statement/0
            both principal forms       | %s"Effect": "Allow", "Principal": "*", "NotPrincipal": "*", "Action": "sts:AssumeRole"}]} | /Statement/0
            AWS principal              | %s"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole"}]} | /Statement/0/Principal
            malformed KRN              | %s"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:person/x"}, "Action": "sts:AssumeRole"}]} | /Statement/0/Principal/Keycloak
            wildcard in principal      | %s"Effect": "Allow", "Principal": {"Keycloak": ["krn:keycloak:iam::acme:root", "krn:keycloak:iam::acme:user/*"]}, "Action": "sts:AssumeRole"}]} | /Statement/0/Principal/Keycloak/1
            no action                  | %s"Effect": "Allow", "Principal": "*"}]}                                              | /Statement/0
            unknown action             | %s"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}                   | /Statement/0/Action
            resource in trust policy   | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]} | /Statement/0/Resource
            unknown statement element  | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Conditions": {}}]} | /Statement/0/Conditions
            bad Sid                    | %s"Sid": "has space", "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]} | /Statement/0/Sid
            unknown operator           | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEqual": {"kc:Acr": "x"}}}]} | /Statement/0/Condition/StringEqual
            operator name case         | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"stringequals": {"kc:Acr": "x"}}}]} | /Statement/0/Condition/stringequals
            unknown kc key             | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:Nope": "x"}}}]} | /Statement/0/Condition/StringEquals/kc:Nope
            unknown identity provider  | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"other:sub": "x"}}}]} | /Statement/0/Condition/StringEquals/other:sub
            attribute key needs a name | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:PrincipalAttribute/": "x"}}}]} | /Statement/0/Condition/StringEquals/kc:PrincipalAttribute~1
            not a number               | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"NumericLessThan": {"kc:MultiFactorAuthAge": "1e999999"}}}]} | /Statement/0/Condition/NumericLessThan/kc:MultiFactorAuthAge
            not a date                 | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"DateLessThan": {"kc:CurrentTime": "tomorrow"}}}]} | /Statement/0/Condition/DateLessThan/kc:CurrentTime
            not a bool                 | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"Bool": {"kc:MultiFactorAuthPresent": "yes"}}}]} | /Statement/0/Condition/Bool/kc:MultiFactorAuthPresent
            not base64                 | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"BinaryEquals": {"sts:SourceIdentity": "***"}}}]} | /Statement/0/Condition/BinaryEquals/sts:SourceIdentity
            not a CIDR                 | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"IpAddress": {"kc:SourceIp": ["10.0.0.0/8", "10.0.0.0/33"]}}}]} | /Statement/0/Condition/IpAddress/kc:SourceIp/1
            host name is not an IP     | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"IpAddress": {"kc:SourceIp": "localhost"}}}]} | /Statement/0/Condition/IpAddress/kc:SourceIp
            not a KRN for ArnLike      | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"ArnLike": {"kc:PrincipalKrn": "user/*"}}}]} | /Statement/0/Condition/ArnLike/kc:PrincipalKrn
            Null with IfExists         | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"NullIfExists": {"kc:Acr": "true"}}}]} | /Statement/0/Condition/NullIfExists
            Null value not boolean     | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"Null": {"kc:Acr": "maybe"}}}]} | /Statement/0/Condition/Null/kc:Acr
            unknown variable           | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:Acr": "${kc:Nope}"}}}]} | /Statement/0/Condition/StringEquals/kc:Acr
            multi-valued variable      | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:Acr": "${kc:Groups}"}}}]} | /Statement/0/Condition/StringEquals/kc:Acr
            unterminated variable      | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:Acr": "${kc:Acr"}}}]} | /Statement/0/Condition/StringEquals/kc:Acr
            object as a value          | %s"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:Acr": {"a": 1}}}}]} | /Statement/0/Condition/StringEquals/kc:Acr
            """)
    void errorsNameTheElement(String description, String policy, String path) {
        String json = policy.contains("%s") ? policy.formatted("{\"Version\": \"2012-10-17\", \"Statement\": [{") : policy;

        PolicyCompilation compilation = PolicyCompiler.compile(json, new PolicyEnvironment("acme", Set.of("corp")));

        assertThat(compilation.valid()).as(json).isFalse();
        assertThat(compilation.errors()).extracting(Finding::path).as(json).contains(path);
    }

    @Test
    void duplicateSidsAreErrors() {
        List<Finding> findings = findings("""
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "A", "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:Acr": "x"}}},
                  {"Sid": "A", "Effect": "Deny", "Principal": "*", "Action": "sts:TagSession"}]}""");

        assertThat(findings).extracting(Finding::path).contains("/Statement/1/Sid");
    }

    @Test
    void limitsOnStatementsValuesAndSize() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:TagSession\"}");
        }
        assertThat(findings("{\"Version\": \"2012-10-17\", \"Statement\": [" + many + "]}"))
                .extracting(Finding::message).anyMatch(m -> m.contains("at most 100 statements"));

        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            values.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        assertThat(findings(statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", "
                + "\"Condition\": {\"StringEquals\": {\"kc:Acr\": [" + values + "]}}")))
                .extracting(Finding::message).anyMatch(m -> m.contains("at most 100 values"));

        String big = statement("\"Sid\": \"" + "s".repeat(128) + "\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", "
                + "\"Condition\": {\"StringEquals\": {\"kc:Acr\": \"" + "x".repeat(11_000) + "\"}}");
        assertThat(findings(big)).extracting(Finding::message).anyMatch(m -> m.contains("larger than 10240 bytes"));
    }

    @Test
    void warnsAboutAnyoneWithoutConditions() {
        List<Finding> findings = findings(statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\""));

        assertThat(findings).containsExactly(Finding.warning("/Statement/0/Principal",
                "Principal \"*\" with no Condition lets anyone who can present a token assume this role"));
    }

    @Test
    void warnsAboutAnotherRealmWithoutExternalIdButNotWithIt() {
        String without = statement("\"Effect\": \"Allow\", \"Principal\": {\"Keycloak\": \"krn:keycloak:iam::partners:root\"}, "
                + "\"Action\": \"sts:AssumeRole\"");
        assertThat(findings(without)).extracting(Finding::severity, Finding::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Finding.Severity.WARNING, "/Statement/0/Principal"));

        String with = statement("\"Effect\": \"Allow\", \"Principal\": {\"Keycloak\": \"krn:keycloak:iam::partners:root\"}, "
                + "\"Action\": \"sts:AssumeRole\", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"7f3e\"}}");
        assertThat(findings(with)).isEmpty();

        String ownRealm = statement("\"Effect\": \"Allow\", \"Principal\": {\"Keycloak\": \"krn:keycloak:iam::acme:root\"}, "
                + "\"Action\": \"sts:AssumeRole\"");
        assertThat(findings(ownRealm)).isEmpty();
    }

    @Test
    void warnsAboutConditionsThatCanNeverBeTrue() {
        List<Finding> findings = findings(statement("\"Effect\": \"Allow\", \"Principal\": {\"Keycloak\": \"krn:keycloak:iam::acme:root\"}, "
                + "\"Action\": \"sts:AssumeRole\", \"Condition\": {\"IpAddress\": {\"kc:Username\": \"10.0.0.0/8\"}, "
                + "\"ForAllValues:StringEquals\": {\"kc:Username\": \"alice\"}}"));

        assertThat(findings).extracting(Finding::path).containsExactlyInAnyOrder(
                "/Statement/0/Condition/IpAddress/kc:Username",
                "/Statement/0/Condition/ForAllValues:StringEquals/kc:Username");
        assertThat(findings).allMatch(f -> f.severity() == Finding.Severity.WARNING);
    }

    @Test
    void warnsAboutADenyThatShadowsEveryAllow() {
        List<Finding> findings = findings("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"},
                  {"Effect": "Deny", "Principal": "*", "Action": "sts:*"}]}""");

        assertThat(findings).extracting(Finding::path).containsExactly("/Statement/1");
        assertThat(findings.get(0).message()).contains("nobody can assume this role");
    }

    @Test
    void everyKnownActionCanBeAllowedAndDenied() {
        for (String action : PolicyCompiler.ACTIONS) {
            List<Finding> findings = findings("""
                    {"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"}, "Action": "%s"},
                      {"Effect": "Deny", "Principal": "*", "Action": "%s"}]}""".formatted(action, action));

            assertThat(findings).as(action).extracting(Finding::path).containsExactly("/Statement/1");
        }
    }

    @Test
    void warnsWhenVersionIsMissing() {
        assertThat(findings("{\"Statement\": []}")).extracting(Finding::path).containsExactly("/Version", "/Statement");
    }

    @Test
    void aSingleStatementObjectIsAccepted() {
        PolicyCompilation compilation = PolicyCompiler.compile("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"},
                 "Action": ["sts:AssumeRole", "sts:TagSession"]}}""", PolicyEnvironment.UNKNOWN);

        assertThat(compilation.findings()).isEmpty();
        assertThat(compilation.valid()).isTrue();
    }

    @Test
    void everyErrorIsReportedNotJustTheFirst() {
        List<Finding> findings = findings("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Maybe", "Principal": "*", "Action": "s3:*"},
                  {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"Foo": {"kc:Acr": "x"}}}]}""");

        assertThat(findings).extracting(Finding::path).contains("/Statement/0/Effect", "/Statement/0/Action",
                "/Statement/1/Condition/Foo");
    }

    /** Issue 14, defect 6: an empty list was saved with a warning and then dropped the condition. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty value list        | "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": []}}        | /Statement/0/Condition/StringEquals/sts:ExternalId
            empty Null list         | "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"Null": {"sts:ExternalId": []}}                | /Statement/0/Condition/Null/sts:ExternalId
            empty operator block    | "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {}}                            | /Statement/0/Condition/StringEquals
            empty principal list    | "Principal": {"Keycloak": []}, "Action": "sts:AssumeRole"                                                  | /Statement/0/Principal/Keycloak
            empty NotPrincipal list | "NotPrincipal": {"Keycloak": []}, "Action": "sts:AssumeRole"                                               | /Statement/0/NotPrincipal/Keycloak
            empty action list       | "Principal": "*", "Action": []                                                                             | /Statement/0/Action
            empty NotAction list    | "Principal": "*", "NotAction": []                                                                          | /Statement/0/NotAction
            """)
    void anEmptyListIsAnErrorNamingItsPath(String name, String body, String path) {
        for (String effect : List.of("Allow", "Deny")) {
            PolicyCompilation compilation = PolicyCompiler.compile(statement("\"Effect\": \"" + effect + "\", " + body),
                    PolicyEnvironment.UNKNOWN);

            assertThat(compilation.valid()).as(effect + " with " + name).isFalse();
            assertThat(compilation.errors()).extracting(Finding::path).as(effect + " with " + name).contains(path);
        }
    }
}
