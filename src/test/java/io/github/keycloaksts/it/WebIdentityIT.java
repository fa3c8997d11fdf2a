package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AssumeRoleWithWebIdentity: an app holding only a token of an external OpenID Connect provider (here the corp
 * realm, configured in acme as identity provider "corp") assumes a role with no user in acme.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class WebIdentityIT extends AcmeFixture {

    private static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

    @InjectRealm(ref = "corp", config = CorpRealm.class)
    ManagedRealm corp;

    @BeforeEach
    void providersAndRoles() {
        if (realm.admin().identityProviders().findAll().stream().noneMatch(p -> p.getAlias().equals("corp"))) {
            create(CorpRealm.asOidcProvider(base(), "corp", true));
            IdentityProviderRepresentation lax = CorpRealm.asOidcProvider(base(), "lax", false);
            lax.getConfig().put("issuer", "https://lax.example");
            create(lax);
        }
        ensureRole("""
                {"name": "app-reader", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "CorpPeople", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {"StringEquals": {"corp:aud": "acme-broker"}, "StringLike": {"corp:email": "*@corp.example"}}}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        ensureRole("""
                {"name": "assume-role-only", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"},
                    "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        ensureRole("""
                {"name": "acme-people", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": "*", "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]}]},
                 "permissions": {"realmRoles": ["reports-reader"]}}""");
        ensureRole("""
                {"name": "realm-wide", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"},
                    "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
    }

    private void create(IdentityProviderRepresentation provider) {
        try (Response response = realm.admin().identityProviders().create(provider)) {
            assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(201);
        }
    }

    private void ensureRole(String json) {
        api().ensureRole(json);
    }

    /** An ID token of corp for its client acme-broker, as a corp login of the app would get. */
    private String idToken(String username) {
        Http.Reply login = Http.form(Sts.tokenUrl(base(), "corp"), Map.of("grant_type", "password",
                "client_id", "acme-broker", "client_secret", CorpRealm.BROKER_SECRET, "username", username,
                "password", AcmeRealm.PASSWORD, "scope", "openid email"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.json().get("id_token").asText();
    }

    /** The exchange by acme's public client admin-cli (an app holding no secret). */
    private Http.Reply assume(String token, String role, String... extra) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", Sts.TOKEN_EXCHANGE, "client_id", "admin-cli",
                "subject_token", token, "subject_token_type", ID_TOKEN, "role", role));
        for (int i = 0; i < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        return Http.form(Sts.tokenUrl(base(), "acme"), form);
    }

    /**
     * A web identity is never one of the realm's own principals, and stays what it is along a chain: a role that
     * trusts "*" (anyone of acme) does not admit its sessions, and a Deny of "*" reaches it (issue 14, defect 5).
     */
    @Test
    void aWebIdentityIsNeverEveryoneOfTheRealmAndADenyOfEveryoneReachesIt() {
        ensureRole("""
                {"name": "corp-but-frozen", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Corp", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"},
                    "Action": "sts:AssumeRoleWithWebIdentity"},
                   {"Sid": "Freeze", "Effect": "Deny", "Principal": "*", "Action": "*"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        assertThat(assume(idToken("wendy"), "acme-people").status()).isEqualTo(403);
        Http.Reply frozen = assume(idToken("wendy"), "corp-but-frozen");
        assertThat(frozen.status()).as(frozen.toString()).isEqualTo(403);

        Http.Reply entry = assume(idToken("wendy"), "app-reader");
        assertThat(entry.status()).as(entry.toString()).isEqualTo(200);
        Http.Reply chained = Sts.assumeRole(base(), "acme", "admin-cli", null, entry.json().get("access_token").asText(),
                "acme-people");
        assertThat(chained.status()).as(chained.toString()).isEqualTo(403);
        assertThat(chained.json().get("error").asText()).isEqualTo("access_denied");
    }

    /** The simulator decides with the exchange's facts: an identity provider is never one of the realm's own (defect 12). */
    @Test
    void theSimulatorNeverTreatsAnIdentityProviderAsOneOfTheRealmsOwn() {
        Http.Reply simulated = api().post("/simulate", """
                {"role": "acme-people", "principal": "krn:keycloak:iam::acme:identity-provider/corp",
                 "action": "sts:AssumeRoleWithWebIdentity"}""");
        assertThat(simulated.status()).as(simulated.toString()).isEqualTo(200);
        assertThat(simulated.json().get("decision").asText()).as(simulated.toString()).isEqualTo("implicitDeny");
        assertThat(simulated.json().get("origin").asText()).isEqualTo("web_identity");
        assertThat(simulated.json().get("principals").toString()).doesNotContain("acme:root");
    }

    @Test
    void anAppWithOnlyAnExternalTokenAssumesARole() throws Exception {
        int usersBefore = realm.admin().users().count();
        String wendyCorpId = corp.admin().users().search("wendy").get(0).getId();

        Http.Reply reply = assume(idToken("wendy"), "app-reader");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        AccessToken session = Sts.verify(base(), "acme", reply.json().get("access_token").asText());
        assertThat(session.getSubject()).isEqualTo("krn:keycloak:iam::acme:identity-provider/corp/" + wendyCorpId);
        assertThat(session.getOtherClaims()).containsEntry("principal", "krn:keycloak:iam::acme:identity-provider/corp")
                .containsEntry("assumed_role", "krn:keycloak:iam::acme:role/app-reader")
                .containsEntry("role_session_name", wendyCorpId);
        assertThat(session.getResourceAccess("billing-api").getRoles()).containsExactly("invoices:read");
        assertThat(session.getRealmAccess()).isNull();
        // Nothing of corp's token beyond who it is: no corp roles, no profile.
        assertThat(Sts.claims(session).toString()).doesNotContain("wendy@corp.example").doesNotContain("default-roles");
        // No user was created or linked in acme.
        assertThat(realm.admin().users().count()).isEqualTo(usersBefore);

        // subject_issuer may name the provider; the same token works as a JWT too.
        assertThat(assume(idToken("wendy"), "app-reader", "subject_issuer", "corp", "subject_token_type", Sts.ACCESS_TOKEN)
                .status()).isEqualTo(200);
        // Introspection by the audience reports the session.
        JsonNode introspected = Http.form(Sts.tokenUrl(base(), "acme") + "/introspect", Map.of("client_id", "billing-api",
                "client_secret", "s3cret", "token", reply.json().get("access_token").asText())).json();
        assertThat(introspected.get("active").asBoolean()).isTrue();
    }

    @Test
    void webIdentityNeedsItsOwnActionAndTheProviderNamedExplicitly() {
        // A statement that allows only sts:AssumeRole does not let external tokens in.
        assertThat(assume(idToken("wendy"), "assume-role-only").status()).isEqualTo(403);
        // Nor does the realm's root: it means acme's own principals.
        assertThat(assume(idToken("wendy"), "realm-wide").status()).isEqualTo(403);
        // A condition on a claim: mallory's email is not corp's.
        assertThat(assume(idToken("mallory"), "app-reader").status()).isEqualTo(403);
    }

    @Test
    void forgedWrongAndMisconfiguredTokensAreRefusedWithTheReason() throws Exception {
        String token = idToken("wendy");
        String[] parts = token.split("\\.");
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA";
        Http.Reply mobile = Http.form(Sts.tokenUrl(base(), "corp"), Map.of("grant_type", "password",
                "client_id", "mobile-app", "username", "wendy", "password", AcmeRealm.PASSWORD, "scope", "openid"));
        String wrongAudience = mobile.json().get("id_token").asText();

        for (String bad : new String[]{unsigned, tampered, wrongAudience}) {
            Http.Reply reply = assume(bad, "app-reader");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.json().get("error_description").asText())
                    .isEqualTo("subject_token: not a valid token of identity provider 'corp' (signature, issuer, audience or expiry)");
        }
        Http.Reply unknown = assume(token, "app-reader", "subject_issuer", "nope");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error_description").asText()).startsWith("subject_issuer: no enabled OpenID Connect identity provider 'nope'");
        Http.Reply lax = assume(token, "app-reader", "subject_issuer", "lax");
        assertThat(lax.status()).isEqualTo(400);
        assertThat(lax.json().get("error_description").asText()).contains("must validate signatures");
    }

    @Test
    void anExpiredExternalTokenIsRefused() throws Exception {
        RealmRepresentation settings = corp.admin().toRepresentation();
        Integer lifespan = settings.getAccessTokenLifespan();
        settings.setAccessTokenLifespan(1);
        corp.admin().update(settings);
        String token;
        try {
            token = idToken("wendy");
        } finally {
            settings.setAccessTokenLifespan(lifespan);
            corp.admin().update(settings);
        }
        // Three seconds later by the server's clock; a small step, so nothing else on the server ages noticeably.
        clock.set(3);
        Http.Reply reply = assume(token, "app-reader");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("error_description").asText())
                .isEqualTo("subject_token: not a valid token of identity provider 'corp' (signature, issuer, audience or expiry)");
    }
}
