package io.github.keycloaksts.it;

import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.common.util.Time;
import org.keycloak.representations.AccessToken;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.server.KeycloakUrls;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A role session stops working when it expires, everywhere a session is accepted. The shortest session is 900 s
 * (AWS's minimum) and the server's clock cannot be moved from a test, so this test waits for it: about 15 minutes.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleSessionExpiryIT {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    @Test
    void anExpiredSessionIsInactiveEverywhere() throws Exception {
        IamApi api = new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString());
        Http.Reply created = api.post("/roles", """
                {"name": "short", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Http.Reply chainTarget = api.post("/roles", """
                {"name": "next", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:role/short"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        assertThat(chainTarget.status()).isEqualTo(201);
        String alice = Http.userToken(urls.getBase(), "acme", "alice", AcmeRealm.PASSWORD);
        String session = Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, alice, "short", "duration_seconds", "900")
                .json().get("access_token").asText();
        AccessToken token = Sts.verify(urls.getBase(), "acme", session);
        assertThat(introspect(session)).isTrue();

        long wait = (token.getExp() - Time.currentTime() + 2) * 1000L;
        Thread.sleep(Math.max(0, wait));

        assertThat(introspect(session)).isFalse();
        assertThat(Http.send("GET", urls.getBase() + "/realms/acme/protocol/openid-connect/userinfo", session, null, null).status())
                .isEqualTo(401);
        assertThat(Http.send("GET", urls.getBase() + "/realms/acme/iam/caller-identity", session, null, null).status())
                .isEqualTo(401);
        Http.Reply chained = Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, session, "next");
        assertThat(chained.status()).isEqualTo(400);
        assertThat(chained.json().get("error_description").asText()).isEqualTo("subject_token: role session invalid, expired or revoked");
    }

    private boolean introspect(String token) {
        return Http.form(urls.getBase() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token)).json().get("active").asBoolean();
    }
}
