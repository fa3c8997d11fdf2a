package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The trust-policy language through the admin API: validation on save, the validate endpoint, the simulator. */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class PolicyToolsIT extends AcmeFixture {

    private static final String SRE_ROLE = """
            {"name": "%s", "trustPolicy": {"Version": "2012-10-17", "Statement": [
              {"Sid": "Sre", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"},
               "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:PrincipalAttribute/department": "platform"}}},
              {"Sid": "Pipeline", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:client/ci-pipeline"},
               "Action": "sts:AssumeRole"},
              {"Sid": "NoWriters", "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
               "Condition": {"ForAnyValue:StringEquals": {"kc:RealmRoles": "reports-admin"}}}]}}""";

    @Test
    void aRoleWithAnInvalidTrustPolicyIsRefusedWithEveryFinding() {
        Http.Reply reply = api().post("/roles", """
                {"name": "bad-policy", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalID2": "x"}}},
                  {"Effect": "Permit", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/*"}, "Action": "s3:Get"}]}}""");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        JsonNode body = reply.json();
        assertThat(body.get("field").asText()).isEqualTo("trustPolicy");
        assertThat(body.get("findings")).extracting(f -> f.get("path").asText()).contains(
                "/Statement/0/Condition/StringEquals/sts:ExternalID2", "/Statement/1/Effect",
                "/Statement/1/Principal/Keycloak", "/Statement/1/Action");
        assertThat(body.get("findings")).allSatisfy(f -> assertThat(f.get("severity").asText()).isIn("error", "warning"));
        assertThat(api().get("/roles/bad-policy").status()).isEqualTo(404);
    }

    @Test
    void validateReturnsFindingsWith200ValidOrNot() {
        Http.Reply valid = api().post("/policies/validate", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"},
                 "Action": "sts:AssumeRole"}]}""");
        assertThat(valid.status()).isEqualTo(200);
        assertThat(valid.json().get("valid").asBoolean()).isTrue();
        assertThat(valid.json().get("findings").size()).isZero();

        Http.Reply risky = api().post("/policies/validate", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
                 {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"}, "Action": "sts:AssumeRole"}]}""");
        assertThat(risky.json().get("valid").asBoolean()).isTrue();
        assertThat(risky.json().get("findings")).extracting(f -> f.get("severity").asText() + " " + f.get("path").asText())
                .containsExactly("warning /Statement/0/Principal", "warning /Statement/1/Principal",
                        "warning /Statement/1/Principal/Keycloak"); // no realm "partners" on this server: bound to nothing

        Http.Reply invalid = api().post("/policies/validate", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"corp:groups": "admins"}}}]}""");
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.json().get("valid").asBoolean()).isFalse();
        assertThat(invalid.json().get("findings").get(0).get("message").asText()).contains("no identity provider");

        Http.Reply malformed = api().post("/policies/validate", "{\"Statement\": [");
        assertThat(malformed.status()).isEqualTo(200);
        assertThat(malformed.json().get("valid").asBoolean()).isFalse();
    }

    @Test
    void simulatorUsesThePrincipalsRealGroupsAttributesAndRoles() {
        assertThat(api().post("/roles", SRE_ROLE.formatted("sre-on-call")).status()).isEqualTo(201);

        Http.Reply alice = api().post("/simulate", """
                {"role": "sre-on-call", "principal": "krn:keycloak:iam::acme:user/alice"}""");
        assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
        assertThat(alice.json().get("decision").asText()).isEqualTo("allow");
        assertThat(alice.json().get("matchedStatements")).extracting(JsonNode::asText).containsExactly("Sre");
        JsonNode context = alice.json().get("context");
        assertThat(context.get("kc:groups")).extracting(JsonNode::asText).containsExactlyInAnyOrder("/engineering/sre", "/engineering");
        assertThat(context.get("kc:realmroles")).extracting(JsonNode::asText).contains("reports-reader", "reports-writer");
        assertThat(alice.json().get("principals")).extracting(JsonNode::asText)
                .contains("krn:keycloak:iam::acme:user/alice", "krn:keycloak:iam::acme:group/engineering");

        Http.Reply nobody = api().post("/simulate", """
                {"role": "sre-on-call", "principal": "krn:keycloak:iam::acme:user/nobody"}""");
        assertThat(nobody.json().get("decision").asText()).isEqualTo("implicitDeny");
        assertThat(nobody.json().get("explanation")).extracting(JsonNode::asText)
                .contains("Statement Sre (Allow): the principal is not one it names");

        Http.Reply pipeline = api().post("/simulate", """
                {"role": "sre-on-call", "principal": "krn:keycloak:iam::acme:client/ci-pipeline"}""");
        assertThat(pipeline.status()).as(pipeline.toString()).isEqualTo(200);
        assertThat(pipeline.json().get("matchedStatements")).extracting(JsonNode::asText).containsExactly("Pipeline");
    }

    @Test
    void contextValuesOverrideAndExplicitDenyWins() {
        api().post("/roles", SRE_ROLE.formatted("sre-deny"));

        Http.Reply denied = api().post("/simulate", """
                {"role": "sre-deny", "principal": "krn:keycloak:iam::acme:user/alice",
                 "context": {"kc:RealmRoles": ["reports-admin"]}}""");
        assertThat(denied.json().get("decision").asText()).isEqualTo("explicitDeny");
        assertThat(denied.json().get("matchedStatements")).extracting(JsonNode::asText).containsExactly("NoWriters");

        Http.Reply otherDepartment = api().post("/simulate", """
                {"role": "sre-deny", "principal": "krn:keycloak:iam::acme:user/alice",
                 "context": {"kc:PrincipalAttribute/department": "sales"}}""");
        assertThat(otherDepartment.json().get("decision").asText()).isEqualTo("implicitDeny");
        assertThat(otherDepartment.json().get("explanation")).extracting(JsonNode::asText).contains(
                "Statement Sre (Allow): principal and action match, but the condition StringEquals kc:PrincipalAttribute/department is false");
    }

    /**
     * Another realm's principal is simulated from its KRN alone, standing for what the policy binds the KRN to
     * (this server's master realm here); a KRN that names nothing on this server matches no one.
     */
    @Test
    void inlinePoliciesAndOtherRealmsAreSimulatedFromTheirKrn() {
        String audit = """
                {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Audit", "Effect": "Allow",
                   "Principal": {"Keycloak": "krn:keycloak:iam::%s:root"}, "Action": "sts:AssumeRole",
                   "Condition": {"StringEquals": {"sts:ExternalId": "7f3e-audit"}}}]},
                 "principal": "krn:keycloak:iam::%s:user/eve"%s}""";
        Http.Reply reply = api().post("/simulate", audit.formatted("master", "master", ", \"context\": {\"sts:ExternalId\": \"7f3e-audit\"}"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("decision").asText()).as(reply.toString()).isEqualTo("allow");
        assertThat(reply.json().get("origin").asText()).isEqualTo("other_realm_user");
        assertThat(api().post("/simulate", audit.formatted("master", "master", "")).json().get("decision").asText())
                .isEqualTo("implicitDeny");
        // No realm "partners" on this server: its root names nothing, so it admits no one, external id or not.
        assertThat(api().post("/simulate", audit.formatted("partners", "partners", ", \"context\": {\"sts:ExternalId\": \"7f3e-audit\"}"))
                .json().get("decision").asText()).isEqualTo("implicitDeny");
    }

    @Test
    void badSimulationRequestsAre4xxNamingTheField() {
        assertThat(api().post("/simulate", "{\"role\": \"no-such-role\", \"principal\": \"krn:keycloak:iam::acme:root\"}").status())
                .isEqualTo(404);
        assertThat(api().post("/simulate", "{\"principal\": \"krn:keycloak:iam::acme:root\"}").json().get("field").asText())
                .isEqualTo("role");
        assertThat(api().post("/simulate", "{\"policy\": {}, \"principal\": \"alice\"}").json().get("errors"))
                .extracting(e -> e.get("field").asText()).contains("principal");
        assertThat(api().post("/simulate", "{\"policy\": {\"Statement\": []}, \"principal\": \"krn:keycloak:iam::acme:user/ghost\"}")
                .json().get("errorMessage").asText()).contains("no user 'ghost'");
        assertThat(api().post("/simulate", "{\"policy\": {\"Statement\": []}, \"principal\": \"krn:keycloak:iam::acme:root\", "
                + "\"context\": {\"kc:Bogus\": \"x\"}}").json().get("field").asText()).isEqualTo("context.kc:Bogus");
        assertThat(api().post("/simulate", "{\"policy\": {\"Statement\": []}, \"principal\": \"krn:keycloak:iam::acme:root\", "
                + "\"action\": \"s3:GetObject\"}").json().get("field").asText()).isEqualTo("action");
        assertThat(api().post("/simulate", "{\"policy\": {\"Statement\": 7}, \"principal\": \"krn:keycloak:iam::acme:root\"}")
                .json().get("findings")).isNotEmpty();
    }

    @Test
    void simulatingAUserNeedsTheRightToViewUsers() {
        IamApi viewer = iamAs(realm.getName(), "viewer");
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": []}";

        assertThat(viewer.post("/simulate", "{\"policy\": " + policy + ", \"principal\": \"krn:keycloak:iam::acme:user/alice\"}").status())
                .isEqualTo(403);
        assertThat(viewer.post("/simulate", "{\"policy\": " + policy + ", \"principal\": \"krn:keycloak:iam::acme:root\"}").status())
                .isEqualTo(200);
        assertThat(viewer.post("/policies/validate", policy).status()).isEqualTo(200);
        assertThat(iamAs(realm.getName(), "nobody").post("/policies/validate", policy).status())
                .isEqualTo(403);
    }
}
