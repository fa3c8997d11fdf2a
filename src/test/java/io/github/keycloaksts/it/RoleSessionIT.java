package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.AccessToken;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.server.KeycloakUrls;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Role sessions after they are issued: userinfo, chaining, revocation by session, caller identity. */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleSessionIT {

    private static final String USERINFO = "/realms/acme/protocol/openid-connect/userinfo";

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    private IamApi api() {
        return new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString());
    }

    private String base() {
        return urls.getBase();
    }

    private String alice() {
        return Http.userToken(base(), "acme", "alice", AcmeRealm.PASSWORD);
    }

    @BeforeEach
    void roles() {
        ensureRole("""
                {"name": "reader", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Engineering", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"},
                    "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}]},
                 "permissions": {"realmRoles": ["temp-role"], "clientRoles": {"billing-api": ["invoices:read"]}}}""");
    }

    private void ensureRole(String json) {
        String name;
        try {
            name = Http.JSON.readTree(json).get("name").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        if (api().get("/roles/" + name).status() == 404) {
            Http.Reply created = api().post("/roles", json);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
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
    }

    private JsonNode introspect(String token) {
        return Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token)).json();
    }
}
