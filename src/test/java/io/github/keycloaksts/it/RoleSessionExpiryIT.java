package io.github.keycloaksts.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.representations.AccessToken;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A role session stops working when it expires, everywhere a session is accepted. The shortest session is 900 s
 * (AWS's minimum); instead of waiting for it, the test moves the server's clock (Keycloak's time offset, which the
 * Infinispan caches follow too, so the session's server-side record expires as it would).
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleSessionExpiryIT extends AcmeFixture {

    /** The session's server-side record is an Infinispan entry: it must expire by the moved clock too. */
    @BeforeEach
    void cachesFollowTheClock() {
        clock.enableForCaches();
    }

    @Test
    void anExpiredSessionIsInactiveEverywhere() throws Exception {
        IamApi api = api();
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
        String alice = userToken("alice");
        String session = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "short", "duration_seconds", "900")
                .json().get("access_token").asText();
        AccessToken token = Sts.verify(base(), "acme", session);
        assertThat(introspect(session)).isTrue();

        // Computed once, with the offset still 0: set() moves the test JVM's Time too. Real seconds that pass between
        // the steps below only take the server further in the same direction.
        int secondsLeft = (int) (token.getExp() - Time.currentTime());

        // 30 s before expiry the session still works everywhere, so the refusals below are its expiry and nothing else.
        clock.set(secondsLeft - 30);
        assertThat(introspect(session)).isTrue();
        assertThat(Http.send("GET", base() + "/realms/acme/protocol/openid-connect/userinfo", session, null, null).status())
                .isEqualTo(200);
        assertThat(Http.send("GET", base() + "/realms/acme/iam/caller-identity", session, null, null).status())
                .isEqualTo(200);
        Http.Reply chainedBefore = Sts.assumeRole(base(), "acme", "admin-cli", null, session, "next");
        assertThat(chainedBefore.status()).as(chainedBefore.toString()).isEqualTo(200);

        clock.set(secondsLeft + 2);

        assertThat(introspect(session)).isFalse();
        assertThat(Http.send("GET", base() + "/realms/acme/protocol/openid-connect/userinfo", session, null, null).status())
                .isEqualTo(401);
        assertThat(Http.send("GET", base() + "/realms/acme/iam/caller-identity", session, null, null).status())
                .isEqualTo(401);
        Http.Reply chained = Sts.assumeRole(base(), "acme", "admin-cli", null, session, "next");
        assertThat(chained.status()).isEqualTo(400);
        assertThat(chained.json().get("error_description").asText()).isEqualTo("subject_token: role session invalid, expired or revoked");
    }

    private boolean introspect(String token) {
        return Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token)).json().get("active").asBoolean();
    }
}
