package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.server.KeycloakUrls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A role names the audiences and scopes its sessions carry, for resource servers and gateways that check {@code aud}
 * or authorize by {@code scope}: the session carries them (and never the caller's own scopes), the exchange's
 * {@code audience} and {@code scope} choose among them and refuse anything else, a gateway named as audience is
 * answered by introspection, unknown clients and scopes are refused naming the field, naming them takes the right to
 * manage them, and a deleted client leaves the role.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleAudiencesIT {

    private static final String REALM = "audiences";

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    private String base() {
        return urls.getBase();
    }

    private Http.Reply admin(String method, String path, String json) {
        return Http.send(method, base() + "/admin/realms" + path, admin.tokenManager().getAccessTokenString(),
                json == null ? null : "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private IamApi iam() {
        return new IamApi(base(), REALM, () -> admin.tokenManager().getAccessTokenString());
    }

    private static final String ROLE = """
            {"name": "gateway-reader", "audiences": ["api-gateway"], "scopes": ["invoices.write", "invoices.read"],
             "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"Keycloak": "krn:keycloak:iam::audiences:user/alice"}}]},
             "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""";

    @BeforeEach
    void realm() {
        if (admin("GET", "/" + REALM, null).status() == 200) {
            return;
        }
        Http.Reply created = admin("POST", "", """
                {"realm": "audiences", "enabled": true,
                 "clients": [{"clientId": "admin-cli", "publicClient": true, "directAccessGrantsEnabled": true,
                              "standardFlowEnabled": false, "defaultClientScopes": ["profile"]},
                             {"clientId": "api-gateway", "secret": "gw-secret", "publicClient": false, "standardFlowEnabled": false},
                             {"clientId": "billing-api", "secret": "s3cret", "publicClient": false, "standardFlowEnabled": false},
                             {"clientId": "other-api", "secret": "other-secret", "publicClient": false, "standardFlowEnabled": false},
                             {"clientId": "doomed-api", "secret": "doomed-secret", "publicClient": false, "standardFlowEnabled": false}],
                 "roles": {"client": {"billing-api": [{"name": "invoices:read"}]}},
                 "clientScopes": [{"name": "invoices.read", "protocol": "openid-connect"},
                                  {"name": "invoices.write", "protocol": "openid-connect"},
                                  {"name": "profile", "protocol": "openid-connect"}],
                 "users": [{"username": "alice", "enabled": true, "email": "alice@audiences.test", "emailVerified": true,
                            "firstName": "Alice", "lastName": "Reader",
                            "credentials": [{"type": "password", "value": "alice", "temporary": false}]},
                           {"username": "limited", "enabled": true, "email": "limited@audiences.test", "emailVerified": true,
                            "firstName": "Limited", "lastName": "Admin",
                            "credentials": [{"type": "password", "value": "limited", "temporary": false}],
                            "clientRoles": {"realm-management": ["manage-realm", "view-realm", "manage-users", "view-clients"]}}]}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Http.Reply role = iam().post("/roles", ROLE);
        assertThat(role.status()).as(role.toString()).isEqualTo(201);
    }

    private static JsonNode claims(String jwt) throws Exception {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static List<String> audiences(JsonNode claims) {
        List<String> aud = new ArrayList<>();
        if (claims.get("aud").isArray()) {
            claims.get("aud").forEach(a -> aud.add(a.asText()));
        } else {
            aud.add(claims.get("aud").asText());
        }
        return aud;
    }

    private Http.Reply assume(String... extra) {
        String alice = Http.userToken(base(), REALM, "alice", "alice");
        return Sts.assumeRole(base(), REALM, "admin-cli", null, alice, "gateway-reader", extra);
    }

    private JsonNode introspect(String clientId, String secret, String token) {
        return Http.form(base() + "/realms/" + REALM + "/protocol/openid-connect/token/introspect",
                Map.of("client_id", clientId, "client_secret", secret, "token", token)).json();
    }

    @Test
    void theSessionCarriesTheRolesAudiencesAndScopesAndNothingOfTheCallers() throws Exception {
        assertThat(iam().get("/roles/gateway-reader").json().get("audiences").toString()).isEqualTo("[\"api-gateway\"]");
        assertThat(iam().get("/roles/gateway-reader").json().get("scopes").toString())
                .isEqualTo("[\"invoices.read\",\"invoices.write\"]");
        String callersOwn = Http.userToken(base(), REALM, "alice", "alice");
        assertThat(claims(callersOwn).get("scope").asText()).contains("profile");

        Http.Reply assumed = assume();
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);
        assertThat(assumed.json().get("scope").asText()).isEqualTo("invoices.read invoices.write");
        String session = assumed.json().get("access_token").asText();
        JsonNode claims = claims(session);
        assertThat(audiences(claims)).containsExactlyInAnyOrder("billing-api", "api-gateway");
        assertThat(claims.get("scope").asText()).isEqualTo("invoices.read invoices.write");

        // The gateway is in aud, so introspection answers it; a client the role does not name is not.
        JsonNode byGateway = introspect("api-gateway", "gw-secret", session);
        assertThat(byGateway.get("active").asBoolean()).as(byGateway.toString()).isTrue();
        assertThat(byGateway.get("scope").asText()).isEqualTo("invoices.read invoices.write");
        assertThat(introspect("other-api", "other-secret", session).get("active").asBoolean()).isFalse();
    }

    @Test
    void audienceAndScopeChooseAmongTheRolesAndRefuseAnythingElse() throws Exception {
        Http.Reply narrowed = assume("scope", "invoices.read", "audience", "api-gateway");
        assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
        JsonNode claims = claims(narrowed.json().get("access_token").asText());
        assertThat(audiences(claims)).containsExactly("api-gateway");
        assertThat(claims.get("scope").asText()).isEqualTo("invoices.read");
        assertThat(narrowed.json().get("scope").asText()).isEqualTo("invoices.read");

        for (String scope : List.of("openid", "profile", "invoices.read invoices.delete")) {
            Http.Reply refused = assume("scope", scope);
            assertThat(refused.status()).as(scope + ": " + refused).isEqualTo(400);
            assertThat(refused.json().get("error").asText()).isEqualTo("invalid_scope");
        }
        Http.Reply malformed = assume("scope", "invoices.read \"x\"");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(malformed.json().get("error_description").asText()).startsWith("scope:");
        Http.Reply otherTarget = assume("audience", "other-api");
        assertThat(otherTarget.status()).isEqualTo(400);
        assertThat(otherTarget.json().get("error").asText()).isEqualTo("invalid_target");
    }

    @Test
    void unknownClientsAndScopesAreRefusedNamingTheField() {
        Http.Reply unknownClient = iam().post("/roles", ROLE.replace("gateway-reader", "bad-audience")
                .replace("\"api-gateway\"", "\"no-such-client\""));
        assertThat(unknownClient.status()).isEqualTo(400);
        assertThat(unknownClient.json().get("field").asText()).isEqualTo("audiences");
        assertThat(unknownClient.json().get("errorMessage").asText()).contains("unknown client 'no-such-client'");
        Http.Reply unknownScope = iam().post("/roles", ROLE.replace("gateway-reader", "bad-scope")
                .replace("\"invoices.write\"", "\"invoices.delete\""));
        assertThat(unknownScope.status()).isEqualTo(400);
        assertThat(unknownScope.json().get("errorMessage").asText()).contains("unknown client scope 'invoices.delete'");
        Http.Reply notAScope = iam().post("/roles", ROLE.replace("gateway-reader", "bad-token")
                .replace("\"invoices.write\"", "\"two words\""));
        assertThat(notAScope.status()).isEqualTo(400);
        assertThat(notAScope.json().get("field").asText()).isEqualTo("scopes");
    }

    @Test
    void namingAnAudienceOrScopeTakesTheRightToManageIt() {
        IamApi limited = new IamApi(base(), REALM, () -> Http.userToken(base(), REALM, "limited", "limited"));
        Http.Reply refused = limited.post("/roles", ROLE.replace("gateway-reader", "limited-role"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body()).contains("audiences", "api-gateway", "scopes", "invoices.read");
        assertThat(iam().get("/roles/limited-role").status()).isEqualTo(404);
        Http.Reply plain = limited.post("/roles", ROLE.replace("gateway-reader", "limited-plain")
                .replace("\"audiences\": [\"api-gateway\"], \"scopes\": [\"invoices.write\", \"invoices.read\"],", ""));
        assertThat(plain.status()).as(plain.toString()).isEqualTo(201);
    }

    @Test
    void audiencesAndScopesReachableByChainingTakeTheSameRight() {
        // A role with audiences and scopes trusts the sessions of role "jump"; whoever changes who may assume jump
        // changes who reaches them (as for grants reachable by chaining).
        Http.Reply jump = iam().post("/roles", """
                {"name": "jump", "trustPolicy": {"Version": "2012-10-17", "Statement": []}}""");
        assertThat(jump.status()).as(jump.toString()).isEqualTo(201);
        Http.Reply beyond = iam().post("/roles", ROLE.replace("gateway-reader", "beyond-jump")
                .replace("\"Principal\": {\"Keycloak\": \"krn:keycloak:iam::audiences:user/alice\"}",
                        "\"Principal\": {\"Keycloak\": \"krn:keycloak:iam::audiences:role/jump\"}")
                .replace("\"permissions\": {\"clientRoles\": {\"billing-api\": [\"invoices:read\"]}}", "\"permissions\": {}"));
        assertThat(beyond.status()).as(beyond.toString()).isEqualTo(201);
        IamApi limited = new IamApi(base(), REALM, () -> Http.userToken(base(), REALM, "limited", "limited"));
        String trustLimited = """
                {"name": "jump", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Action": "sts:AssumeRole", "Principal": {"Keycloak": "krn:keycloak:iam::audiences:user/limited"}}]}}""";
        Http.Reply refused = limited.put("/roles/jump", trustLimited);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body()).contains("api-gateway", "invoices.read");
        Http.Reply imported = limited.post("/import", "{\"roles\": [" + trustLimited + "]}");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(403);
        assertThat(iam().get("/roles/jump").json().get("trustPolicy").get("Statement")).isEmpty();
    }

    @Test
    void aDeletedClientLeavesTheRolesAudiences() {
        Http.Reply role = iam().post("/roles", ROLE.replace("gateway-reader", "doomed-audience")
                .replace("\"api-gateway\"", "\"doomed-api\""));
        assertThat(role.status()).as(role.toString()).isEqualTo(201);
        String id = admin("GET", "/" + REALM + "/clients?clientId=doomed-api", null).json().get(0).get("id").asText();
        assertThat(admin("DELETE", "/" + REALM + "/clients/" + id, null).status()).isEqualTo(204);
        assertThat(iam().get("/roles/doomed-audience").json().get("audiences")).isEmpty();
        // Re-created under the same client id, it is another client: not an audience by itself.
        assertThat(admin("POST", "/" + REALM + "/clients", "{\"clientId\": \"doomed-api\"}").status()).isEqualTo(201);
        assertThat(iam().get("/roles/doomed-audience").json().get("audiences")).isEmpty();
    }
}
