package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust decision's invariants over the real server, for the holes an outsider found: identities by immutable
 * id (roles, users), sessions that die with their user, subject tokens bound to the client exchanging them, a Deny
 * that reaches every origin, and unknown roles indistinguishable from untrusting ones.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class TrustInvariantsIT extends AcmeFixture {

    private static final String USERINFO = "/realms/acme/protocol/openid-connect/userinfo";
    private static final String CALLER_IDENTITY = "/realms/acme/iam/caller-identity";

    @InjectRealm(ref = "partners", config = AssumeRoleIT.PartnersRealm.class)
    ManagedRealm partners;

    private Http.Reply assume(String subject, String role, String... extra) {
        return Sts.assumeRole(base(), "acme", "admin-cli", null, subject, role, extra);
    }

    private String session(String subject, String role) {
        Http.Reply reply = assume(subject, role);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("access_token").asText();
    }

    private boolean active(String token) {
        return Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token)).json().get("active").asBoolean();
    }

    private void role(String json) {
        api().ensureRole(json);
    }

    private String createUser(String username, String... groups) {
        realm.admin().users().create(person(username, username, "Test", username + "@acme.test").groups(groups).build()).close();
        return realm.admin().users().search(username, true).get(0).getId();
    }

    /** Everywhere a session's liveness is asked: introspection, userinfo, caller identity, chaining. */
    private void assertDead(String session, String because) {
        assertThat(active(session)).as(because + ": introspection").isFalse();
        assertThat(Http.send("GET", base() + USERINFO, session, null, null).status()).as(because + ": userinfo").isEqualTo(401);
        assertThat(Http.send("GET", base() + CALLER_IDENTITY, session, null, null).status()).as(because + ": caller identity")
                .isEqualTo(401);
        Http.Reply chained = assume(session, "chain-anything");
        assertThat(chained.status()).as(because + ": chaining " + chained).isEqualTo(400);
        assertThat(chained.json().get("error_description").asText()).isEqualTo("subject_token: role session invalid, expired or revoked");
    }

    private void chainAnything() {
        role("""
                {"name": "chain-anything", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
    }

    @Test
    void aRoleReCreatedUnderItsNameRevivesNoSessionOfTheOldOne() {
        chainAnything();
        String phoenix = """
                {"name": "phoenix", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""";
        role(phoenix);
        String alice = userToken("alice");
        String revoked = session(alice, "phoenix");
        assertThat(api().post("/roles/phoenix/revoke-sessions", "").status()).isEqualTo(200);
        clock.set(1); // a second later by the server's clock: the revocation covers sessions issued up to its second
        String live = session(alice, "phoenix");
        assertThat(active(revoked)).isFalse();
        assertThat(active(live)).isTrue();

        assertThat(api().delete("/roles/phoenix").status()).isEqualTo(204);
        role(phoenix.replace("invoices:read", "invoices:write"));

        assertDead(live, "a live session of the deleted role");
        assertDead(revoked, "a revoked session of the deleted role");
        // The new role's own sessions live.
        assertThat(active(session(alice, "phoenix"))).isTrue();
    }

    @Test
    void aUserReCreatedUnderATrustedUsernameIsNotTrusted() {
        String originalId = createUser("frank");
        role("""
                {"name": "frank-only", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/frank"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        assertThat(assume(userToken("frank"), "frank-only").status()).isEqualTo(200);

        realm.admin().users().get(originalId).remove();
        String newcomerId = createUser("frank");
        assertThat(newcomerId).isNotEqualTo(originalId);

        Http.Reply newcomer = assume(userToken("frank"), "frank-only");
        assertThat(newcomer.status()).as(newcomer.toString()).isEqualTo(403);
        assertThat(newcomer.json().get("error").asText()).isEqualTo("access_denied");
        // The simulator agrees with the exchange.
        JsonNode simulated = api().post("/simulate", """
                {"role": "frank-only", "principal": "krn:keycloak:iam::acme:user/frank"}""").json();
        assertThat(simulated.get("decision").asText()).as(simulated.toString()).isEqualTo("implicitDeny");

        // Saving the role again binds the name to whoever holds it now (AWS: edit the policy to trust the new user).
        assertThat(api().put("/roles/frank-only", api().get("/roles/frank-only").body()).status()).isEqualTo(200);
        assertThat(assume(userToken("frank"), "frank-only").status()).isEqualTo(200);
    }

    @Test
    void aSessionDiesWithItsUserAndNeverChainsAfterIt() {
        chainAnything();
        role("""
                {"name": "engineers", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        String userId = createUser("gina", "/engineering/sre");
        String whileEnabled = session(userToken("gina"), "engineers");
        assertThat(active(whileEnabled)).isTrue();

        UserRepresentation gina = realm.admin().users().get(userId).toRepresentation();
        gina.setEnabled(false);
        realm.admin().users().get(userId).update(gina);
        assertDead(whileEnabled, "the session of a disabled user");

        gina.setEnabled(true);
        realm.admin().users().get(userId).update(gina);
        String again = session(userToken("gina"), "engineers");
        realm.admin().users().get(userId).remove();
        assertDead(again, "the session of a deleted user");
    }

    @Test
    void aSubjectTokenIsExchangedOnlyByTheClientItWasIssuedToOrForWhichItIsMeant() {
        role("""
                {"name": "bound", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        Http.Reply login = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "alice", "password", AcmeRealm.PASSWORD));
        String portalToken = login.json().get("access_token").asText();

        Http.Reply byOtherClient = Sts.assumeRole(base(), "acme", "ci-pipeline", "ci-secret", portalToken, "bound");
        assertThat(byOtherClient.status()).as(byOtherClient.toString()).isEqualTo(400);
        assertThat(byOtherClient.json().get("error_description").asText())
                .isEqualTo("subject_token: client 'ci-pipeline' is neither the client the token was issued to (azp) nor in its audience (aud)");
        Http.Reply byPublicClient = Sts.assumeRole(base(), "acme", "admin-cli", null, portalToken, "bound");
        assertThat(byPublicClient.status()).as(byPublicClient.toString()).isEqualTo(400);
        assertThat(byPublicClient.json().get("error_description").asText())
                .isEqualTo("subject_token: a public client may only exchange tokens of this realm issued to itself (azp 'admin-cli')");

        Http.Reply byItsClient = Sts.assumeRole(base(), "acme", "portal", "portal-secret", portalToken, "bound");
        assertThat(byItsClient.status()).as(byItsClient.toString()).isEqualTo(200);
        // A token of another realm: only a client in its audience (portal), never a public client.
        String eve = AssumeRoleIT.PartnersRealm.eve(base());
        role("""
                {"name": "partner-bound", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        Http.Reply foreignByPublicClient = assume(eve, "partner-bound");
        assertThat(foreignByPublicClient.status()).as(foreignByPublicClient.toString()).isEqualTo(400);
        assertThat(foreignByPublicClient.json().get("error_description").asText())
                .isEqualTo("subject_token: a public client may only exchange tokens of this realm issued to itself (azp 'admin-cli')");
        Http.Reply foreignByOtherClient = Sts.assumeRole(base(), "acme", "ci-pipeline", "ci-secret", eve, "partner-bound");
        assertThat(foreignByOtherClient.status()).as(foreignByOtherClient.toString()).isEqualTo(400);
        assertThat(foreignByOtherClient.json().get("error_description").asText())
                .isEqualTo("subject_token: client 'ci-pipeline' is neither the client the token was issued to (azp) nor in its audience (aud)");
        assertThat(Sts.assumeRole(base(), "acme", "portal", "portal-secret", eve, "partner-bound").status()).isEqualTo(200);
    }

    @Test
    void aDenyOfEveryoneAppliesToPrincipalsOfOtherRealmsToo() {
        role("""
                {"name": "partners-guarded", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Partners", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"}, "Action": "sts:AssumeRole"},
                   {"Sid": "Freeze", "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        Http.Reply reply = Sts.assumeRole(base(), "acme", "portal", "portal-secret", AssumeRoleIT.PartnersRealm.eve(base()),
                "partners-guarded");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.json().get("error").asText()).isEqualTo("access_denied");
    }

    @Test
    void aChainedSessionOfAnotherRealmsPrincipalIsNeverEveryoneOfThisRealm() {
        role("""
                {"name": "partner-entry", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        role("""
                {"name": "acme-people-only", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["reports-reader"]}}""");
        Http.Reply entry = Sts.assumeRole(base(), "acme", "portal", "portal-secret", AssumeRoleIT.PartnersRealm.eve(base()),
                "partner-entry");
        assertThat(entry.status()).as(entry.toString()).isEqualTo(200);

        Http.Reply chained = Sts.assumeRole(base(), "acme", "portal", "portal-secret", entry.json().get("access_token").asText(),
                "acme-people-only");
        assertThat(chained.status()).as(chained.toString()).isEqualTo(403);
        // An acme user's session chains into it: "*" is anyone of acme, along a chain too.
        String aliceSession = session(userToken("alice"), "acme-people-only");
        assertThat(assume(aliceSession, "acme-people-only").status()).isEqualTo(200);
    }

    @Test
    void anUnknownRoleAndAnUntrustingOneGetTheSameAnswerWhateverTheChainedRequestAsks() {
        role("""
                {"name": "tagger", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"},
                    "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        role("""
                {"name": "untrusting", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/nobody"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        String tagged = assume(userToken("alice"), "tagger", "session_tags", "{\"project\": \"apollo\"}",
                "transitive_tag_keys", "project", "source_identity", "alice@acme").json().get("access_token").asText();

        for (String[] extra : List.of(new String[]{"session_tags", "{\"Project\": \"other\"}"},
                new String[]{"source_identity", "someone-else"}, new String[]{})) {
            Http.Reply unknown = assume(tagged, "no-such-role-" + extra.length, extra);
            Http.Reply untrusted = assume(tagged, "untrusting", extra);
            assertThat(unknown.status()).as(String.join(" ", extra) + " " + unknown).isEqualTo(untrusted.status());
            assertThat(unknown.body()).isEqualTo(untrusted.body());
            assertThat(unknown.header("Content-Type")).isEqualTo(untrusted.header("Content-Type"));
        }
    }
}
