package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** AssumeRole over the real token endpoint: who may, what the session carries, and every refusal. */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class AssumeRoleIT extends AcmeFixture {

    @InjectRealm(ref = "partners", config = PartnersRealm.class)
    ManagedRealm partners;

    /**
     * Another realm of the same server: its users assume acme's roles only where acme's policies name them. Its app
     * {@value #PARTNER_APP} issues tokens meant for acme's client {@code portal} (an Audience mapper puts it in
     * {@code aud}): only a client named in a foreign token's audience may exchange it.
     */
    public static final class PartnersRealm implements RealmConfig {
        public static final String PARTNER_APP = "partner-app";

        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            org.keycloak.representations.idm.ProtocolMapperRepresentation audience = new org.keycloak.representations.idm.ProtocolMapperRepresentation();
            audience.setName("acme-portal-audience");
            audience.setProtocol("openid-connect");
            audience.setProtocolMapper("oidc-audience-mapper");
            audience.setConfig(Map.of("included.custom.audience", "portal", "access.token.claim", "true"));
            return realm.name("partners")
                    .clients(org.keycloak.testframework.realm.ClientBuilder.create(PARTNER_APP).publicClient(true)
                            .directAccessGrantsEnabled(true).protocolMappers(audience))
                    .users(person("eve", "Eve", "Auditor", "eve@partners.test"));
        }

        /** Eve's token from the partners app, for acme's portal. */
        public static String eve(String base) {
            Http.Reply reply = Http.form(Sts.tokenUrl(base, "partners"), Map.of("grant_type", "password",
                    "client_id", PARTNER_APP, "username", "eve", "password", AcmeRealm.PASSWORD));
            if (reply.status() != 200) {
                throw new AssertionError("could not log in eve: " + reply);
            }
            return reply.json().get("access_token").asText();
        }
    }

    @BeforeEach
    void roles() {
        ensureRole("""
                {"name": "report-reader-role", "path": "/reporting/", "maxSessionDuration": 7200,
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Sre", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"},
                    "Action": "sts:AssumeRole"},
                   {"Sid": "Pipeline", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:client/ci-pipeline"},
                    "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"], "clientRoles": {"billing-api": ["invoices:read"]}}}""");
        ensureRole("""
                {"name": "third-party", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Partners", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"},
                    "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "7f3e-audit"}}}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        ensureRole("""
                {"name": "anyone-of-acme", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Any", "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                    "Condition": {"StringLike": {"kc:Username": "*"}}}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
    }

    private void ensureRole(String json) {
        api().ensureRole(json);
    }

    @Test
    void aUserAssumesARoleAndGetsOnlyTheRolesPermissions() throws Exception {
        Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "report-reader-role");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("issued_token_type").asText()).isEqualTo(Sts.ACCESS_TOKEN);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(reply.header("Cache-Control")).contains("no-store");

        AccessToken token = Sts.verify(base(), "acme", body.get("access_token").asText());
        assertThat(token.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/reporting/report-reader-role")
                .containsEntry("principal", "krn:keycloak:iam::acme:user/alice")
                .containsEntry("role_session_name", "alice");
        assertThat(token.getExp() - token.getIat()).isEqualTo(3600);
        assertThat(token.getIssuedFor()).isEqualTo("admin-cli");
        assertThat(token.getAudience()).containsExactly("billing-api");
        // Only the role's grants: alice's own reports-reader and reports-writer (via her group) must not leak in.
        assertThat(token.getRealmAccess().getRoles()).containsExactly("temp-role");
        assertThat(token.getResourceAccess()).containsOnlyKeys("billing-api");
        assertThat(token.getResourceAccess("billing-api").getRoles()).containsExactly("invoices:read");
        assertThat(token.getSessionId()).isNull();
        String userId = realm.admin().users().search("alice").get(0).getId();
        assertThat(token.getSubject()).isEqualTo(userId);
    }

    @Test
    void aServiceAccountAssumesARoleAsItsClient() throws Exception {
        String pipeline = Sts.clientCredentials(base(), "acme", "ci-pipeline", "ci-secret");

        Http.Reply reply = Sts.assumeRole(base(), "acme", "ci-pipeline", "ci-secret", pipeline,
                "krn:keycloak:iam::acme:role/reporting/report-reader-role", "role_session_name", "nightly-build",
                "duration_seconds", "900");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        AccessToken token = Sts.verify(base(), "acme", reply.json().get("access_token").asText());
        assertThat(token.getOtherClaims()).containsEntry("principal", "krn:keycloak:iam::acme:client/ci-pipeline")
                .containsEntry("role_session_name", "nightly-build");
        assertThat(token.getExp() - token.getIat()).isEqualTo(900);
        assertThat(reply.json().get("expires_in").asInt()).isEqualTo(900);
    }

    @Test
    void unknownAndUntrustedRolesGetTheSameAnswer() {
        String carol = userToken("carol");

        Http.Reply untrusted = Sts.assumeRole(base(), "acme", "admin-cli", null, carol, "report-reader-role");
        Http.Reply unknown = Sts.assumeRole(base(), "acme", "admin-cli", null, carol, "no-such-role");
        Http.Reply otherRealmKrn = Sts.assumeRole(base(), "acme", "admin-cli", null, carol,
                "krn:keycloak:iam::partners:role/reporting/report-reader-role");
        Http.Reply wrongPath = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(),
                "krn:keycloak:iam::acme:role/other/report-reader-role");

        for (Http.Reply reply : List.of(untrusted, unknown, otherRealmKrn, wrongPath)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.body()).isEqualTo(untrusted.body());
        }
        assertThat(untrusted.json().get("error").asText()).isEqualTo("access_denied");
    }

    @Test
    void aThirdPartyNeedsTheExternalIdAndAnotherRealmMustBeNamed() throws Exception {
        String eve = PartnersRealm.eve(base());

        assertThat(Sts.assumeRole(base(), "acme", "portal", "portal-secret", eve, "third-party").status()).isEqualTo(403);
        assertThat(Sts.assumeRole(base(), "acme", "portal", "portal-secret", eve, "third-party", "external_id", "guess-1234").status())
                .isEqualTo(403);
        Http.Reply granted = Sts.assumeRole(base(), "acme", "portal", "portal-secret", eve, "third-party", "external_id", "7f3e-audit");
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        AccessToken token = Sts.verify(base(), "acme", granted.json().get("access_token").asText());
        // No local user for a principal of another realm: sub is its KRN.
        assertThat(token.getSubject()).isEqualTo("krn:keycloak:iam::partners:user/eve");
        assertThat(token.getIssuer()).endsWith("/realms/acme");

        // "*" means anyone of the role's own realm: eve is not admitted by it.
        assertThat(Sts.assumeRole(base(), "acme", "portal", "portal-secret", eve, "anyone-of-acme").status()).isEqualTo(403);
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "anyone-of-acme").status()).isEqualTo(200);
    }

    @Test
    void malformedParametersAre400NamingTheParameter() {
        String alice = alice();
        Map<String, String[]> cases = Map.of(
                "duration_seconds", new String[]{"duration_seconds", "899"},
                "role_session_name", new String[]{"role_session_name", "a"},
                "external_id", new String[]{"external_id", "has space"},
                "requested_token_type", new String[]{"requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"});
        cases.forEach((parameter, extra) -> {
            Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "report-reader-role", extra);
            assertThat(reply.status()).as(parameter + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).isEqualTo("invalid_request");
            assertThat(reply.json().get("error_description").asText()).startsWith(parameter + ":");
        });
        Http.Reply tooLong = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "report-reader-role", "duration_seconds", "7201");
        assertThat(tooLong.json().get("error_description").asText())
                .isEqualTo("duration_seconds: exceeds the role's maximum session duration (7200 s)");
        Http.Reply audience = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "report-reader-role", "audience", "doomed-app");
        assertThat(audience.status()).as(audience.toString()).isEqualTo(400);
        assertThat(audience.json().get("error").asText()).isEqualTo("invalid_target");
        assertThat(audience.json().get("error_description").asText())
                .isEqualTo("audience: 'doomed-app' is not an audience of the role (a client it grants roles of or names in its audiences)");
        Http.Reply empty = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
        // Keycloak drops an empty parameter before any grant sees it: the role is missing.
        assertThat(empty.json().get("error_description").asText()).isEqualTo("role: is required");
    }

    @Test
    void forgedExpiredAndForeignSubjectTokensAreRefused() {
        String alice = alice();
        String[] parts = alice.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
                + "." + parts[1] + ".";
        String tamperedPayload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"admin-cli\"", "\"portal\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(tamperedPayload.getBytes())
                + "." + parts[2];
        String foreignIssuer = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("/realms/acme", "/realms/nowhere").getBytes());

        for (String token : List.of("garbage", none, tampered, parts[0] + "." + foreignIssuer + "." + parts[2])) {
            Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, token, "report-reader-role");
            assertThat(reply.status()).as(token + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).isEqualTo("invalid_request");
            assertThat(reply.json().get("error_description").asText()).startsWith("subject_token:");
        }
    }

    @Test
    void revokedDisabledAndDisabledRealmSubjectsAreRefusedAtOnce() {
        // Logging the user out ends the session behind the token: the token no longer assumes anything.
        String carolId = realm.admin().users().search("carol").get(0).getId();
        String carol = userToken("carol");
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, carol, "anyone-of-acme").status()).isEqualTo(200);
        realm.admin().users().get(carolId).logout();
        Http.Reply revoked = Sts.assumeRole(base(), "acme", "admin-cli", null, carol, "anyone-of-acme");
        assertThat(revoked.status()).isEqualTo(400);
        assertThat(revoked.json().get("error_description").asText()).isEqualTo("subject_token: invalid, expired or revoked");

        // A disabled user's still-unexpired token is refused.
        String fresh = userToken("carol");
        realm.updateUserWithCleanup("carol", user -> user.enabled(false));
        Http.Reply disabled = Sts.assumeRole(base(), "acme", "admin-cli", null, fresh, "anyone-of-acme");
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(400);
        assertThat(disabled.json().get("error_description").asText()).isEqualTo("subject_token: invalid, expired or revoked");

        // A disabled realm's tokens are refused too.
        String eve = PartnersRealm.eve(base());
        partners.updateWithCleanup(r -> r.enabled(false));
        Http.Reply disabledRealm = Sts.assumeRole(base(), "acme", "portal", "portal-secret", eve, "third-party", "external_id", "7f3e-audit");
        assertThat(disabledRealm.status()).as(disabledRealm.toString()).isEqualTo(400);
        assertThat(disabledRealm.json().get("error_description").asText()).isEqualTo("subject_token: not a token this server issued");
    }

    @Test
    void leavingTheTrustedGroupStopsNewExchangesAtOnce() {
        realm.admin().users().create(person("dave", "Dave", "Leaver", "dave@acme.test").groups("/engineering/sre").build()).close();
        String daveId = realm.admin().users().search("dave").get(0).getId();
        String groupId = realm.admin().users().get(daveId).groups().get(0).getId();
        String token = userToken("dave");
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, token, "report-reader-role").status()).isEqualTo(200);

        realm.admin().users().get(daveId).leaveGroup(groupId);

        // The same, still valid token: facts are read at each exchange, so the group is gone at once.
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, token, "report-reader-role").status()).isEqualTo(403);
        realm.admin().users().get(daveId).remove();
    }

    /**
     * Exchanges read roles from memory (RoleSnapshots): each change must still count from the very next exchange,
     * although the role was read into memory by the exchange just before it.
     */
    @Test
    void everyChangeOfARoleCountsFromTheNextExchange() throws Exception {
        String alice = alice();
        String policy = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "%s", "Principal": "*", "Action": "sts:AssumeRole",
                  "Condition": {"StringLike": {"kc:Username": "*"}}}]}""";
        assertThat(api().post("/roles", """
                {"name": "changing", "trustPolicy": %s, "permissions": {"realmRoles": ["temp-role"]}}"""
                .formatted(policy.formatted("Allow"))).status()).isEqualTo(201);
        assertThat(grantedRealmRoles(alice, "changing")).containsExactly("temp-role");

        assertThat(api().put("/roles/changing", """
                {"name": "changing", "trustPolicy": %s, "permissions": {"realmRoles": ["reports-reader"]}}"""
                .formatted(policy.formatted("Allow"))).status()).isEqualTo(200);
        assertThat(grantedRealmRoles(alice, "changing")).containsExactly("reports-reader");

        assertThat(api().put("/roles/changing", """
                {"name": "changing", "trustPolicy": %s, "permissions": {"realmRoles": ["reports-reader"]}}"""
                .formatted(policy.formatted("Deny"))).status()).isEqualTo(200);
        Http.Reply denied = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "changing");
        assertThat(denied.status()).as(denied.toString()).isEqualTo(403);

        assertThat(api().put("/roles/changing", """
                {"name": "changing", "trustPolicy": %s, "maxSessionDuration": 1800, "permissions": {"realmRoles": ["reports-reader"]}}"""
                .formatted(policy.formatted("Allow"))).status()).isEqualTo(200);
        Http.Reply tooLong = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "changing", "duration_seconds", "3600");
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        assertThat(tooLong.json().get("error_description").asText())
                .isEqualTo("duration_seconds: exceeds the role's maximum session duration (1800 s)");
        assertThat(grantedRealmRoles(alice, "changing")).containsExactly("reports-reader");

        // Revocation and deletion at introspection: revokingARolesSessionsDeactivatesThoseIssuedUpToNow.
        assertThat(api().delete("/roles/changing").status()).isEqualTo(204);
        Http.Reply gone = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "changing");
        assertThat(gone.status()).as(gone.toString()).isEqualTo(403);
        assertThat(gone.json().get("error").asText()).isEqualTo("access_denied");
    }

    private List<String> grantedRealmRoles(String subjectToken, String role) throws Exception {
        Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, subjectToken, role);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return List.copyOf(Sts.verify(base(), "acme", reply.json().get("access_token").asText()).getRealmAccess().getRoles());
    }

    @Test
    void exchangesCreateNoUserSessionAndAreAudited() {
        realm.updateWithCleanup(r -> r.eventsEnabled(true).enabledEventTypes("TOKEN_EXCHANGE", "TOKEN_EXCHANGE_ERROR"));
        String aliceId = realm.admin().users().search("alice").get(0).getId();
        String token = alice();
        int sessionsBefore = realm.admin().users().get(aliceId).getUserSessions().size();

        for (int i = 0; i < 3; i++) {
            assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, token, "report-reader-role").status()).isEqualTo(200);
        }
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, token, "no-such-role").status()).isEqualTo(403);

        assertThat(realm.admin().users().get(aliceId).getUserSessions()).hasSize(sessionsBefore);
        List<EventRepresentation> events = realm.admin().getEvents(List.of("TOKEN_EXCHANGE", "TOKEN_EXCHANGE_ERROR"),
                null, null, null, null, null, 0, 100);
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getType()).isEqualTo("TOKEN_EXCHANGE");
            assertThat(event.getDetails()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/reporting/report-reader-role")
                    .containsEntry("principal", "krn:keycloak:iam::acme:user/alice")
                    .containsEntry("decision", "allow").containsEntry("statements", "Sre")
                    .containsEntry("duration_seconds", "3600").containsEntry("external_id_present", "false");
        });
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getType()).isEqualTo("TOKEN_EXCHANGE_ERROR");
            assertThat(event.getError()).isEqualTo("access_denied");
            assertThat(event.getDetails()).containsEntry("role", "no-such-role")
                    .containsEntry("reason", "role 'no-such-role' not found");
        });
    }

    private Http.Reply introspect(String clientId, String secret, String token) {
        return Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", clientId, "client_secret", secret, "token", token));
    }

    @Test
    void introspectionReportsExactlyTheSessionsClaimsToItsAudience() {
        String session = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "report-reader-role")
                .json().get("access_token").asText();

        Http.Reply byAudience = introspect("billing-api", "s3cret", session);
        assertThat(byAudience.status()).isEqualTo(200);
        JsonNode claims = byAudience.json();
        assertThat(claims.get("active").asBoolean()).as(claims.toString()).isTrue();
        assertThat(claims.get("assumed_role").asText()).isEqualTo("krn:keycloak:iam::acme:role/reporting/report-reader-role");
        assertThat(claims.get("realm_access").get("roles")).extracting(JsonNode::asText).containsExactly("temp-role");
        assertThat(claims.get("resource_access").size()).isEqualTo(1);
        assertThat(claims.toString()).doesNotContain("reports-reader").doesNotContain("reports-writer");

        assertThat(introspect("portal", "portal-secret", session).json().get("active").asBoolean()).isFalse();
        assertThat(introspect("billing-api", "s3cret", session.substring(0, session.length() - 4) + "AAAA")
                .json().get("active").asBoolean()).isFalse();
        // Keycloak's own tokens still go through Keycloak's introspection.
        Http.Reply ordinary = introspect("ci-pipeline", "ci-secret", Sts.clientCredentials(base(), "acme", "ci-pipeline", "ci-secret"));
        assertThat(ordinary.status()).isEqualTo(200);
        assertThat(ordinary.json().has("active")).isTrue();
    }

    private boolean active(String session) {
        return introspect("billing-api", "s3cret", session).json().get("active").asBoolean();
    }

    private String assume(String role) {
        return Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), role).json().get("access_token").asText();
    }

    @Test
    void revokingARolesSessionsDeactivatesThoseIssuedUpToNow() throws Exception {
        ensureRole("""
                {"name": "revocable", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        String before = assume("revocable");
        assertThat(active(before)).isTrue();

        Http.Reply revoked = api().post("/roles/revocable/revoke-sessions", "");
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.json().get("role").asText()).isEqualTo("krn:keycloak:iam::acme:role/revocable");

        assertThat(active(before)).isFalse();
        clock.set(1); // a second later by the server clock: revocation covers sessions issued up to and including its second
        String after = assume("revocable");
        assertThat(active(after)).isTrue();

        assertThat(iamAs("acme", "viewer").post("/roles/revocable/revoke-sessions", "").status()).isEqualTo(403);
        assertThat(api().post("/roles/no-such-role/revoke-sessions", "").status()).isEqualTo(404);

        // A deleted role takes its sessions with it.
        assertThat(api().delete("/roles/revocable").status()).isEqualTo(204);
        assertThat(active(after)).isFalse();
    }

    @Test
    void oneSessionCanBeRevokedByItsTokenId() throws Exception {
        String first = assume("report-reader-role");
        String second = assume("report-reader-role");
        String firstId = Sts.verify(base(), "acme", first).getId();

        assertThat(api().delete("/sessions/" + firstId).status()).isEqualTo(204);

        assertThat(active(first)).isFalse();
        assertThat(active(second)).isTrue();
        assertThat(api().delete("/sessions/" + firstId).status()).isEqualTo(404);
        assertThat(api().delete("/sessions/onrtte:00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        // An administrator of another realm cannot revoke acme's sessions through their realm.
        String secondId = Sts.verify(base(), "acme", second).getId();
        IamApi partnersApi = iam("partners");
        assertThat(partnersApi.delete("/sessions/" + secondId).status()).isEqualTo(404);
        assertThat(active(second)).isTrue();
    }

    @Test
    void callerIdentitySaysWhoTheBearerIs() throws Exception {
        String url = base() + "/realms/acme/iam/caller-identity";
        String alice = alice();
        Http.Reply own = Http.send("GET", url, alice, null, null);
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(own.json().get("principal").asText()).isEqualTo("krn:keycloak:iam::acme:user/alice");
        assertThat(own.json().has("assumedRole")).isFalse();

        String session = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "report-reader-role",
                "role_session_name", "incident-42").json().get("access_token").asText();
        Http.Reply assumed = Http.send("GET", url, session, null, null);
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);
        assertThat(assumed.json().get("principal").asText()).isEqualTo("krn:keycloak:iam::acme:user/alice");
        assertThat(assumed.json().get("assumedRole").asText()).isEqualTo("krn:keycloak:iam::acme:role/reporting/report-reader-role");
        assertThat(assumed.json().get("session").asText()).isEqualTo("krn:keycloak:sts::acme:assumed-role/report-reader-role/incident-42");
        assertThat(assumed.json().get("tokenId").asText()).isEqualTo(Sts.verify(base(), "acme", session).getId());

        String pipeline = Sts.clientCredentials(base(), "acme", "ci-pipeline", "ci-secret");
        assertThat(Http.send("GET", url, pipeline, null, null).json().get("principal").asText())
                .isEqualTo("krn:keycloak:iam::acme:client/ci-pipeline");

        // Revoked, forged, foreign and missing tokens: 401 with a Bearer challenge.
        api().delete("/sessions/" + Sts.verify(base(), "acme", session).getId());
        String eve = Http.userToken(base(), "partners", "eve", AcmeRealm.PASSWORD);
        for (String token : java.util.Arrays.asList(session, "garbage", eve, null)) {
            Http.Reply refused = Http.send("GET", url, token, null, null);
            assertThat(refused.status()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(refused.json().get("error").asText()).isEqualTo("invalid_token");
        }
    }

    @Test
    void eachRoleRecordsWhenAndThroughWhichClientItWasLastAssumed() {
        realm.updateWithCleanup(r -> r.eventsEnabled(true).enabledEventTypes("TOKEN_EXCHANGE_ERROR"));
        ensureRole("""
                {"name": "tracked", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"},
                   {"Sid": "NotCarol", "Effect": "Deny", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/carol"},
                    "Action": "sts:AssumeRole"}]}}""");
        assertThat(lastUsed("tracked").isNull()).isTrue();

        long before = System.currentTimeMillis();
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "tracked").status()).isEqualTo(200);

        // The admin API shows what was written to the database: within one flush interval (1 s in tests).
        JsonNode used = eventually("tracked's use written", () -> lastUsed("tracked"), lastUsed -> !lastUsed.isNull());
        assertThat(used.get("clientId").asText()).isEqualTo("admin-cli");
        assertThat(java.time.Instant.parse(used.get("at").asText()).toEpochMilli()).isBetween(before - 1000, System.currentTimeMillis());

        // A refused exchange is not a use. carol's request is well-formed and names a role that exists: it is refused
        // by the trust decision itself (the explicit Deny), after the role was found.
        Http.Reply refused = Sts.assumeRole(base(), "acme", "admin-cli", null, userToken("carol"), "tracked");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).isEqualTo("access_denied");
        assertThat(realm.admin().getEvents(List.of("TOKEN_EXCHANGE_ERROR"), null, null, null, null, null, 0, 1))
                .singleElement().satisfies(event -> assertThat(event.getDetails())
                        .containsEntry("role", "tracked")
                        .containsEntry("reason", "sts:AssumeRole: explicitDeny by the trust policy of krn:keycloak:iam::acme:role/tracked"
                                + " (statements [NotCarol])"));
        everyUseSoFarWritten();
        assertThat(lastUsed("tracked")).isEqualTo(used);
    }

    private JsonNode lastUsed(String role) {
        return api().get("/roles/" + role).json().get("lastUsed");
    }

    /**
     * Returns once every use recorded before the call is in the database. A flush writes all pending uses in one
     * transaction, and flushes run one after another; a flush may start just before a use and miss it. So the
     * role {@code flush-marker} is used twice, each time waiting until its use is written: the flush that writes
     * the second started after the first was written, so after every use before this call.
     */
    private void everyUseSoFarWritten() {
        ensureRole("""
                {"name": "flush-marker", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]}}""");
        for (int i = 0; i < 2; i++) {
            String previous = lastUsed("flush-marker").path("at").asText();
            assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "flush-marker").status()).isEqualTo(200);
            eventually("flush-marker's use written", () -> lastUsed("flush-marker").path("at").asText(), at -> !at.equals(previous));
        }
    }

    @Test
    void sessionPoliciesOnlyNarrowAndTheResponseSaysWhatWasGranted() throws Exception {
        Http.Reply narrowed = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "report-reader-role",
                "session_policy", "{\"realmRoles\": [\"temp-role\", \"reports-writer\"], \"clientRoles\": {\"doomed-app\": [\"doomed:read\"]}}");

        assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
        AccessToken token = Sts.verify(base(), "acme", narrowed.json().get("access_token").asText());
        // temp-role is granted and asked for; reports-writer and doomed:read are asked for but not granted by the role;
        // invoices:read is granted but not asked for. Only temp-role remains, and no client is in aud.
        assertThat(token.getRealmAccess().getRoles()).containsExactly("temp-role");
        assertThat(token.getResourceAccess()).isEmpty();
        assertThat(token.getAudience()).isNull();
        JsonNode body = narrowed.json();
        assertThat(body.get("granted_permissions").get("realmRoles")).extracting(JsonNode::asText).containsExactly("temp-role");
        assertThat(body.get("granted_permissions").get("clientRoles").size()).isZero();
        assertThat(body.get("session_budget").get("session_policy_bytes").asInt()).isBetween(50, 200);
        assertThat(body.get("session_budget").get("session_policy_max_bytes").asInt()).isEqualTo(2048);

        Http.Reply tooBig = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "report-reader-role",
                "session_policy", "{\"realmRoles\": [\"" + "r".repeat(2100) + "\"]}");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().get("error_description").asText()).startsWith("session_policy:").contains("2048");
        Http.Reply malformed = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "report-reader-role",
                "session_policy", "{\"roles\": []}");
        assertThat(malformed.json().get("error_description").asText()).startsWith("session_policy.roles:");
    }

    @Test
    void sessionTagsAndSourceIdentityNeedTheirOwnPermission() throws Exception {
        ensureRole("""
                {"name": "taggable", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Assume", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"},
                    "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]},
                   {"Sid": "Tags", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"},
                    "Action": "sts:TagSession", "Condition": {"StringEquals": {"kc:RequestTag/project": "apollo"},
                      "ForAllValues:StringEquals": {"kc:TagKeys": ["project", "cost-center"]}}}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        ensureRole("""
                {"name": "untaggable", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");

        Http.Reply tagged = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "taggable",
                "session_tags", "{\"project\": \"apollo\", \"cost-center\": \"42\"}", "transitive_tag_keys", "project",
                "source_identity", "alice@corp");
        assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);
        AccessToken token = Sts.verify(base(), "acme", tagged.json().get("access_token").asText());
        assertThat(token.getOtherClaims()).containsEntry("session_tags", Map.of("project", "apollo", "cost-center", "42"))
                .containsEntry("transitive_tag_keys", List.of("project"))
                .containsEntry("source_identity", "alice@corp");
        Http.Reply identity = Http.send("GET", base() + "/realms/acme/iam/caller-identity", tagged.json().get("access_token").asText(), null, null);
        assertThat(identity.json().get("sourceIdentity").asText()).isEqualTo("alice@corp");

        // A tag value or key the TagSession statement does not allow, tags on a role without sts:TagSession, and a
        // source identity without sts:SetSourceIdentity are all refused like any untrusted request.
        for (Http.Reply refused : List.of(
                Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "taggable", "session_tags", "{\"project\": \"gemini\"}"),
                Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "taggable", "session_tags", "{\"project\": \"apollo\", \"team\": \"x\"}"),
                Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "untaggable", "session_tags", "{\"project\": \"apollo\"}"),
                Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "untaggable", "source_identity", "alice@corp"))) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.json().get("error").asText()).isEqualTo("access_denied");
        }
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "untaggable").status()).isEqualTo(200);

        // Malformed values name their parameter.
        Map<String, String[]> bad = Map.of(
                "session_tags", new String[]{"session_tags", "{\"bad*key\": \"v\"}"},
                "transitive_tag_keys", new String[]{"session_tags", "{\"a\": \"b\"}", "transitive_tag_keys", "c"},
                "source_identity", new String[]{"source_identity", "kc:admin"});
        bad.forEach((parameter, extra) -> {
            Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "taggable", extra);
            assertThat(reply.status()).as(parameter + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("error_description").asText()).startsWith(parameter);
        });
    }

    @Test
    void aRoleSessionCannotBeTradedBackForTheCallersOwnRights() {
        String session = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), "report-reader-role")
                .json().get("access_token").asText();

        // billing-api is in the session's aud and may use Keycloak's standard exchange: it must not get alice's token.
        Http.Reply standard = Sts.assumeRole(base(), "acme", "billing-api", "s3cret", session, null);
        // It is ours (the subject is a role session) and refused for want of a role: a role session only chains.
        assertThat(standard.status()).as(standard.toString()).isEqualTo(400);
        assertThat(standard.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(standard.json().get("error_description").asText()).isEqualTo("role: is required");
        assertThat(standard.body()).doesNotContain("access_token");

        // Keycloak's account API must not take it as alice's bearer token.
        Http.Reply account = Http.getJson(base() + "/realms/acme/account/", session);
        assertThat(account.status()).as(account.toString()).isEqualTo(401);
        assertThat(account.json().get("error").asText()).isEqualTo("invalid_token");
        assertThat(account.json().get("error_description").asText()).startsWith("role sessions are accepted only by resource servers");
        assertThat(account.body()).doesNotContain("alice@acme.test");

        // As the subject of another AssumeRole it stands for its role, never for alice: a role that trusts any user
        // of the realm by username does not let it in.
        Http.Reply chained = Sts.assumeRole(base(), "acme", "admin-cli", null, session, "anyone-of-acme");
        assertThat(chained.status()).as(chained.toString()).isEqualTo(403);
        assertThat(chained.json().get("error").asText()).isEqualTo("access_denied");
    }

    @Test
    void standardTokenExchangeStillWorksWithoutTheRoleParameter() throws Exception {
        Http.Reply login = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "alice", "password", AcmeRealm.PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);

        Http.Reply standard = Sts.assumeRole(base(), "acme", "portal", "portal-secret",
                login.json().get("access_token").asText(), null);

        assertThat(standard.status()).as(standard.toString()).isEqualTo(200);
        // Keycloak's own exchange answered: alice's token for portal, no role session.
        AccessToken exchanged = Sts.verify(base(), "acme", standard.json().get("access_token").asText());
        assertThat(exchanged.getSubject()).isEqualTo(realm.admin().users().search("alice").get(0).getId());
        assertThat(exchanged.getOtherClaims()).doesNotContainKey("assumed_role");
        assertThat(exchanged.getRealmAccess().getRoles()).contains("reports-reader");
    }
}
