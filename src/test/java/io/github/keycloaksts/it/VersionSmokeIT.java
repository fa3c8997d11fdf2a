package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same jar on every other supported Keycloak minor (docs/production.md, "Upgrading"): each distribution of system
 * property {@code kc.smoke.versions} (the newest served patch of each minor, resolved by Maven from Central like the
 * default server) starts with the jar in {@code providers/} and answers a smoke subset over HTTP: the version detected
 * at start-up, role CRUD, AssumeRole for a user, a service account and a user of another realm, a refusal, a forged
 * {@code alg=none} subject token (a 400, never Keycloak's own 500), introspection and role chaining. The default
 * server runs the whole suite; Keycloak's test framework is that server's version only, so this test runs each
 * distribution itself ({@link OwnNode}).
 */
class VersionSmokeIT {

    static List<String> versions() {
        String list = System.getProperty("kc.smoke.versions", "");
        assertThat(list).as("system property kc.smoke.versions (set by the pom)").isNotBlank();
        return Arrays.stream(list.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static Path zip(String version) {
        Path zip = Path.of(System.getProperty("keycloak.dists.dir", "target/dists"))
                .resolve("keycloak-quarkus-dist-" + version + ".zip");
        assertThat(zip).as("the Keycloak %s distribution (the pom's smoke-distributions execution)", version).exists();
        return zip;
    }

    @ParameterizedTest(name = "Keycloak {0}")
    @MethodSource("versions")
    void theJarWorksOn(String version) throws Exception {
        OwnNode node = new OwnNode("smoke-" + version, zip(version));
        try {
            node.start("server.log");
            assertThat(Files.readString(node.dir().resolve("server.log")))
                    .contains("keycloak-sts: Keycloak " + version + " detected");
            smoke(node);
        } finally {
            node.stop();
        }
    }

    private static void smoke(OwnNode node) throws Exception {
        String base = node.base();
        for (String realm : List.of("""
                {"realm": "partners", "enabled": true,
                 "clients": [{"clientId": "partner-app", "publicClient": true, "directAccessGrantsEnabled": true,
                              "protocolMappers": [{"name": "for-acme-ci-bot", "protocol": "openid-connect",
                                 "protocolMapper": "oidc-audience-mapper",
                                 "config": {"included.custom.audience": "ci-bot", "access.token.claim": "true"}}]}],
                 "users": [{"username": "eve", "enabled": true, "email": "eve@partners.test", "emailVerified": true,
                            "firstName": "Eve", "lastName": "Partner",
                            "credentials": [{"type": "password", "value": "eve", "temporary": false}]}]}""", """
                {"realm": "acme", "enabled": true, "roles": {"realm": [{"name": "auditor"}, {"name": "admin-ish"}],
                                                         "client": {"billing-api": [{"name": "invoices:read"}]}},
                 "clients": [{"clientId": "ci-bot", "secret": "ci-secret", "publicClient": false,
                              "serviceAccountsEnabled": true, "standardFlowEnabled": false},
                             {"clientId": "billing-api", "secret": "s3cret", "publicClient": false,
                              "standardFlowEnabled": false}],
                 "users": [{"username": "alice", "enabled": true, "email": "alice@acme.test", "emailVerified": true,
                            "firstName": "Alice", "lastName": "Engineer", "realmRoles": ["admin-ish"],
                            "credentials": [{"type": "password", "value": "alice", "temporary": false}]},
                           {"username": "mallory", "enabled": true, "email": "mallory@acme.test", "emailVerified": true,
                            "firstName": "Mallory", "lastName": "Outsider",
                            "credentials": [{"type": "password", "value": "mallory", "temporary": false}]}]}""")) {
            Http.Reply created = Http.send("POST", base + "/admin/realms", node.adminToken(), "application/json",
                    realm.getBytes(StandardCharsets.UTF_8));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        IamApi iam = new IamApi(base, "acme", node::adminToken);
        Http.Reply role = iam.post("/roles", """
                {"name": "auditor-role", "path": "/smoke/", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Keycloak": [
                     "krn:keycloak:iam::acme:user/alice", "krn:keycloak:iam::acme:client/ci-bot",
                     "krn:keycloak:iam::partners:root"]}}]},
                 "permissions": {"realmRoles": ["auditor"], "clientRoles": {"billing-api": ["invoices:read"]}}}""");
        assertThat(role.status()).as(role.toString()).isEqualTo(201);
        assertThat(iam.get("/roles/auditor-role").json().get("krn").asText())
                .isEqualTo("krn:keycloak:iam::acme:role/smoke/auditor-role");
        Http.Reply chained = iam.post("/roles", """
                {"name": "chained-role", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"Keycloak": "krn:keycloak:iam::acme:role/smoke/auditor-role"}}]}}""");
        assertThat(chained.status()).as(chained.toString()).isEqualTo(201);
        Http.Reply replaced = iam.put("/roles/chained-role", iam.get("/roles/chained-role").body()
                .replace("\"maxSessionDuration\":3600", "\"maxSessionDuration\":1800"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(iam.get("/roles/chained-role").json().get("maxSessionDuration").asInt()).isEqualTo(1800);

        // A user: only the role's permissions, never alice's own admin-ish.
        String alice = Http.userToken(base, "acme", "alice", "alice");
        Http.Reply assumed = Sts.assumeRole(base, "acme", "admin-cli", null, alice, "auditor-role");
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);
        JsonNode claims = payload(assumed.json().get("access_token").asText());
        assertThat(claims.get("assumed_role").asText()).isEqualTo("krn:keycloak:iam::acme:role/smoke/auditor-role");
        assertThat(claims.path("realm_access").path("roles").toString()).contains("auditor").doesNotContain("admin-ish");
        String session = assumed.json().get("access_token").asText();

        // A service account, and a user of another realm.
        String bot = Sts.clientCredentials(base, "acme", "ci-bot", "ci-secret");
        assertThat(Sts.assumeRole(base, "acme", "ci-bot", "ci-secret", bot, "auditor-role").status()).isEqualTo(200);
        // Another realm's token names the exchanging confidential client in aud (docs/assume-role.md).
        String eve = Http.form(Sts.tokenUrl(base, "partners"), Map.of("grant_type", "password", "client_id", "partner-app",
                "username", "eve", "password", "eve")).json().get("access_token").asText();
        Http.Reply partner = Sts.assumeRole(base, "acme", "ci-bot", "ci-secret", eve, "auditor-role");
        assertThat(partner.status()).as(partner.toString()).isEqualTo(200);

        // Deny by default, and the same answer for a role that does not exist.
        String mallory = Http.userToken(base, "acme", "mallory", "mallory");
        Http.Reply denied = Sts.assumeRole(base, "acme", "admin-cli", null, mallory, "auditor-role");
        Http.Reply unknown = Sts.assumeRole(base, "acme", "admin-cli", null, mallory, "no-such-role");
        assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.json().get("error").asText()).isEqualTo(denied.json().get("error").asText());

        // A forged subject token without a signature is refused by us, before Keycloak's verifier (26.5.6 gave a 500).
        String[] parts = alice.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        Http.Reply forged = Sts.assumeRole(base, "acme", "admin-cli", null, none, "auditor-role");
        assertThat(forged.status()).as(forged.toString()).isEqualTo(400);

        // Introspection by a resource server in the session's aud (the client of a granted role), and role chaining.
        JsonNode introspected = Http.form(base + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", session)).json();
        assertThat(introspected.get("active").asBoolean()).as(introspected.toString()).isTrue();
        assertThat(introspected.get("assumed_role").asText()).isEqualTo("krn:keycloak:iam::acme:role/smoke/auditor-role");
        Http.Reply chain = Sts.assumeRole(base, "acme", "admin-cli", null, session, "chained-role");
        assertThat(chain.status()).as(chain.toString()).isEqualTo(200);

        assertThat(iam.delete("/roles/chained-role").status()).isEqualTo(204);
        assertThat(iam.get("/roles/chained-role").status()).isEqualTo(404);
    }

    private static JsonNode payload(String jwt) throws Exception {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
