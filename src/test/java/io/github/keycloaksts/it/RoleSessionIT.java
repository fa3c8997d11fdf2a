package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.AccessToken;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Role sessions after they are issued: userinfo, chaining, revocation by session, caller identity. */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleSessionIT extends AcmeFixture {

    private static final String USERINFO = "/realms/acme/protocol/openid-connect/userinfo";

    @BeforeEach
    void roles() {
        ensureRole("""
                {"name": "reader", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Engineering", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"},
                    "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}]},
                 "permissions": {"realmRoles": ["temp-role"], "clientRoles": {"billing-api": ["invoices:read"]}}}""");
        ensureRole("""
                {"name": "chain-target", "maxSessionDuration": 7200, "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "ReaderSessions", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:role/reader"},
                    "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:write"]}}}""");
        ensureRole("""
                {"name": "long-chain-target", "maxSessionDuration": 7200, "maxChainedSessionDuration": 5400,
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "ReaderSessionsByCondition", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"},
                    "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                    "Condition": {"StringLike": {"kc:PrincipalKrn": "krn:keycloak:sts::acme:assumed-role/reader/*"},
                                  "StringEquals": {"kc:PrincipalTag/project": "apollo"}}}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        ensureRole("""
                {"name": "loop", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": ["krn:keycloak:iam::acme:role/reader", "krn:keycloak:iam::acme:role/loop"]},
                    "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        ensureRole("""
                {"name": "no-source-identity", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:role/reader"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
    }

    private void ensureRole(String json) {
        api().ensureRole(json);
    }

    private String assume(String subject, String role, String... extra) {
        Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, subject, role, extra);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("access_token").asText();
    }

    @Test
    void userinfoOfARoleSessionReportsTheSameClaimsAsItsToken() throws Exception {
        String session = assume(alice(), "reader", "session_tags", "{\"project\": \"apollo\"}", "source_identity", "alice@corp");
        AccessToken token = Sts.verify(base(), "acme", session);

        Http.Reply byHeader = Http.send("GET", base() + USERINFO, session, null, null);
        assertThat(byHeader.status()).as(byHeader.toString()).isEqualTo(200);
        assertThat(byHeader.header("Cache-Control")).contains("no-store");
        JsonNode claims = byHeader.json();
        assertThat(claims.get("sub").asText()).isEqualTo(token.getSubject());
        assertThat(claims.get("assumed_role").asText()).isEqualTo("krn:keycloak:iam::acme:role/reader");
        assertThat(claims.get("principal").asText()).isEqualTo("krn:keycloak:iam::acme:user/alice");
        assertThat(claims.get("role_session_name").asText()).isEqualTo("alice");
        assertThat(claims.get("source_identity").asText()).isEqualTo("alice@corp");
        assertThat(claims.get("session_tags").get("project").asText()).isEqualTo("apollo");
        assertThat(claims.get("realm_access").get("roles")).extracting(JsonNode::asText).containsExactly("temp-role");
        assertThat(claims.get("resource_access").get("billing-api").get("roles")).extracting(JsonNode::asText)
                .containsExactly("invoices:read");
        assertThat(claims.get("resource_access").size()).isEqualTo(1);
        // Nothing of alice herself: not her roles, not her profile.
        assertThat(claims.toString()).doesNotContain("reports-reader").doesNotContain("reports-writer")
                .doesNotContain("alice@acme.test").doesNotContain("preferred_username");

        // RFC 6750 §2.2: the token in a form body gets the same answer.
        Http.Reply byForm = Http.send("POST", base() + USERINFO, null, "application/x-www-form-urlencoded",
                Http.formBody(Map.of("access_token", session)).getBytes(StandardCharsets.UTF_8));
        assertThat(byForm.status()).as(byForm.toString()).isEqualTo(200);
        assertThat(byForm.json()).isEqualTo(claims);

        // A tampered token is refused as Keycloak refuses one: 401 invalid_token with a Bearer challenge.
        Http.Reply forged = Http.send("GET", base() + USERINFO, session.substring(0, session.length() - 4) + "AAAA", null, null);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(forged.json().get("error").asText()).isEqualTo("invalid_token");

        // Keycloak's own userinfo is untouched for ordinary tokens.
        // (admin-cli issues lightweight tokens, which Keycloak's userinfo refuses, so portal logs alice in.)
        String aliceAtPortal = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "alice", "password", AcmeRealm.PASSWORD, "scope", "openid"))
                .json().get("access_token").asText();
        Http.Reply own = Http.send("GET", base() + USERINFO, aliceAtPortal, null, null);
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(own.json().get("preferred_username").asText()).isEqualTo("alice");
    }

    @Test
    void aRevokedSessionIsRefusedAtIntrospectionUserinfoAndChaining() throws Exception {
        String session = assume(alice(), "reader");
        String tokenId = Sts.verify(base(), "acme", session).getId();
        assertThat(Http.send("GET", base() + USERINFO, session, null, null).status()).isEqualTo(200);

        assertThat(api().delete("/sessions/" + tokenId).status()).isEqualTo(204);

        assertThat(introspect(session).get("active").asBoolean()).isFalse();
        Http.Reply userinfo = Http.send("GET", base() + USERINFO, session, null, null);
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(userinfo.body()).doesNotContain("temp-role");
        Http.Reply chained = Sts.assumeRole(base(), "acme", "admin-cli", null, session, "chain-target");
        assertThat(chained.status()).isEqualTo(400);
        assertThat(chained.json().get("error_description").asText()).isEqualTo("subject_token: role session invalid, expired or revoked");
    }

    @Test
    void aChainedSessionStandsForTheRoleAndRecordsTheChain() throws Exception {
        realm.updateWithCleanup(r -> r.eventsEnabled(true).enabledEventTypes("TOKEN_EXCHANGE", "TOKEN_EXCHANGE_ERROR"));
        String aliceToken = alice();
        String first = assume(aliceToken, "reader", "session_tags", "{\"project\": \"apollo\", \"team\": \"x\"}",
                "transitive_tag_keys", "project", "source_identity", "alice@corp");
        AccessToken firstToken = Sts.verify(base(), "acme", first);

        Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, first, "chain-target");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("expires_in").asInt()).isEqualTo(3600); // the chaining default cap, not 7200
        AccessToken chained = Sts.verify(base(), "acme", reply.json().get("access_token").asText());
        JsonNode claims = Sts.claims(chained);
        assertThat(claims.get("assumed_role").asText()).isEqualTo("krn:keycloak:iam::acme:role/chain-target");
        // Still alice behind it, for resource servers and auditors.
        assertThat(claims.get("principal").asText()).isEqualTo("krn:keycloak:iam::acme:user/alice");
        assertThat(chained.getSubject()).isEqualTo(firstToken.getSubject());
        assertThat(claims.get("act").get("sub").asText()).isEqualTo("krn:keycloak:sts::acme:assumed-role/reader/alice");
        assertThat(claims.get("act").has("act")).isFalse();
        assertThat(claims.get("role_chain").get("depth").asInt()).isEqualTo(2);
        assertThat(claims.get("role_chain").get("origin_exp").asLong()).isEqualTo(firstToken.getExp());
        // The transitive tag flows on, the other does not; the source identity stays.
        assertThat(claims.get("session_tags").toString()).isEqualTo("{\"project\":\"apollo\"}");
        assertThat(claims.get("transitive_tag_keys")).extracting(JsonNode::asText).containsExactly("project");
        assertThat(claims.get("source_identity").asText()).isEqualTo("alice@corp");
        // Only chain-target's grants: not reader's, not alice's.
        assertThat(chained.getRealmAccess()).isNull();
        assertThat(claims.get("resource_access").get("billing-api").get("roles")).extracting(JsonNode::asText)
                .containsExactly("invoices:write");

        // Caller identity and userinfo show the chain.
        JsonNode identity = Http.send("GET", base() + "/realms/acme/iam/caller-identity", reply.json().get("access_token").asText(),
                null, null).json();
        assertThat(identity.get("chain")).extracting(JsonNode::asText).containsExactly(
                "krn:keycloak:sts::acme:assumed-role/reader/alice", "krn:keycloak:sts::acme:assumed-role/chain-target/alice");
        assertThat(identity.get("sourceIdentity").asText()).isEqualTo("alice@corp");
        assertThat(Http.send("GET", base() + USERINFO, reply.json().get("access_token").asText(), null, null).json()
                .get("act").get("sub").asText()).isEqualTo("krn:keycloak:sts::acme:assumed-role/reader/alice");

        // A role that trusts only reader's sessions does not trust alice herself.
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, aliceToken, "chain-target").status()).isEqualTo(403);

        // The event records the chain.
        assertThat(realm.admin().getEvents(List.of("TOKEN_EXCHANGE"), null, null, null, null, null, 0, 200)).anySatisfy(event ->
                assertThat(event.getDetails()).containsEntry("role_chain",
                                "krn:keycloak:sts::acme:assumed-role/reader/alice > krn:keycloak:sts::acme:assumed-role/chain-target/alice")
                        .containsEntry("chain_depth", "2").containsEntry("source_identity", "alice@corp"));
    }

    @Test
    void chainingRefusesOverridesAndSaysWhy() {
        String first = assume(alice(), "reader", "session_tags", "{\"project\": \"apollo\"}",
                "transitive_tag_keys", "project", "source_identity", "alice@corp");

        Map<String, String[]> refused = Map.of(
                "session_tags: 'Project' is a transitive tag of the role chain", new String[]{"session_tags", "{\"Project\": \"gemini\"}"},
                "source_identity: the role chain's source identity is already set", new String[]{"source_identity", "bob@corp"},
                "duration_seconds: a chained session of this role lasts at most 3600 s", new String[]{"duration_seconds", "3601"});
        refused.forEach((message, extra) -> {
            Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, first, "chain-target", extra);
            assertThat(reply.status()).as(message + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).isEqualTo("invalid_request");
            assertThat(reply.json().get("error_description").asText()).startsWith(message);
        });
        // Repeating the same source identity is fine.
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, first, "chain-target", "source_identity", "alice@corp")
                .status()).isEqualTo(200);

        // A role may allow longer chained sessions, explicitly; beyond that the error names its maximum.
        Http.Reply longer = Sts.assumeRole(base(), "acme", "admin-cli", null, first, "long-chain-target", "duration_seconds", "5400");
        assertThat(longer.status()).as(longer.toString()).isEqualTo(200);
        assertThat(longer.json().get("expires_in").asInt()).isEqualTo(5400);
        Http.Reply tooLong = Sts.assumeRole(base(), "acme", "admin-cli", null, first, "long-chain-target", "duration_seconds", "5401");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error_description").asText()).contains("at most 5400 s");

        // A carried source identity needs sts:SetSourceIdentity in the next role's trust policy too.
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, first, "no-source-identity").status()).isEqualTo(403);
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, assume(alice(), "reader"), "no-source-identity").status())
                .isEqualTo(200);
        // A condition on the session's tags: the untagged session is refused.
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, assume(alice(), "reader"), "long-chain-target").status())
                .isEqualTo(403);
    }

    @Test
    void aChainHoldsAtMostFiveSessions() {
        String session = assume(alice(), "reader");
        for (int depth = 2; depth <= 5; depth++) {
            session = assume(session, "loop");
        }
        Http.Reply sixth = Sts.assumeRole(base(), "acme", "admin-cli", null, session, "loop");
        assertThat(sixth.status()).isEqualTo(400);
        assertThat(sixth.json().get("error_description").asText())
                .isEqualTo("subject_token: the role chain would hold 6 sessions; at most 5 are allowed");
    }

    @Test
    void sessionsCanBeRevokedByTheirSessionKrn() throws Exception {
        String job1 = assume(alice(), "reader", "role_session_name", "job-1");
        String job2 = assume(alice(), "reader", "role_session_name", "job-2");

        Http.Reply revoked = api().delete("/sessions?session=krn:keycloak:sts::acme:assumed-role/READER/job-1");
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.json().get("session").asText()).isEqualTo("krn:keycloak:sts::acme:assumed-role/reader/job-1");

        assertThat(introspect(job1).get("active").asBoolean()).isFalse();
        assertThat(introspect(job2).get("active").asBoolean()).isTrue();
        assertThat(Http.send("GET", base() + USERINFO, job1, null, null).status()).isEqualTo(401);
        Http.Reply chained = Sts.assumeRole(base(), "acme", "admin-cli", null, job1, "loop");
        assertThat(chained.status()).isEqualTo(400);
        assertThat(chained.json().get("error_description").asText()).isEqualTo("subject_token: role session invalid, expired or revoked");
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, job2, "loop").status()).isEqualTo(200);

        clock.set(1); // a second later by the server clock: revocation covers sessions issued up to and including its second
        assertThat(introspect(assume(alice(), "reader", "role_session_name", "job-1")).get("active").asBoolean()).isTrue();

        assertThat(api().delete("/sessions?session=krn:keycloak:sts::acme:assumed-role/no-such-role/job-1").status()).isEqualTo(404);
        for (String bad : new String[]{"", "?session=", "?session=krn:keycloak:sts::partners:assumed-role/reader/job-1",
                "?session=krn:keycloak:iam::acme:role/reader",
                "?session=krn:keycloak:sts::acme:assumed-role/reader/" + "a".repeat(65),
                "?session=krn:keycloak:sts::acme:assumed-role/reader/job-1&session=krn:keycloak:sts::acme:assumed-role/reader/job-2"}) {
            Http.Reply reply = api().delete("/sessions" + bad);
            assertThat(reply.status()).as(bad + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).isEqualTo("session");
        }
        assertThat(iamAs("acme", "viewer").delete("/sessions?session=krn:keycloak:sts::acme:assumed-role/reader/job-2")
                .status()).isEqualTo(403);
    }

    private JsonNode introspect(String token) {
        return Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token)).json();
    }
}
