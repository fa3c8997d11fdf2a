package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.util.ApiUtil;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource-server recipes of {@code recipes/} (docs/resource-servers.md) against the real server: the Node
 * server (jose) and the Spring Boot app (JWT and opaque introspection) run as the client {@code billing-api} and read
 * a role session's permissions; a second Spring instance runs as {@code portal}, a client not in the session's
 * {@code aud}.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class ResourceServerRecipesIT extends AcmeFixture {

    private static final String ROLE = "recipe-invoice-reader";
    private static final String ROLE_KRN = "krn:keycloak:iam::acme:role/" + ROLE;
    private static final String EXPORTER = "recipe-invoice-exporter";
    private static final String EXPORT_SCOPE = "invoices.export";
    /** Spring Boot on two cores shared with the server; it usually starts in well under 30 s. */
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private static final List<RecipeServer> RUNNING = new ArrayList<>();
    private static RecipeServer node;
    private static RecipeServer spring;
    private static RecipeServer springAsPortal;
    private static AssertionError startFailure;

    @BeforeEach
    void roleAndRecipes() {
        api().ensureRole("""
                {"name": "%s", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""".formatted(ROLE));
        if (startFailure != null) {
            throw startFailure; // once per class is enough: do not wait for the servers again in every test
        }
        if (node == null) {
            try {
                startRecipes();
            } catch (AssertionError | RuntimeException e) {
                startFailure = new AssertionError("the recipes did not start", e);
                throw e;
            }
        }
    }

    /** All three start at once (the Spring ones take longest), then each is waited for. */
    private void startRecipes() {
        String issuer = base() + "/realms/acme";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = RecipeServer.built("spring-resource-server/target/spring-resource-server.jar").getAbsolutePath();
        RecipeServer.built("node-resource-server/node_modules/jose");
        RecipeServer nodeServer = RecipeServer.start("node-resource-server", new java.io.File(RecipeServer.RECIPES, "node-resource-server"),
                List.of("node", "server.mjs"), Map.of("KC_ISSUER", issuer, "CLIENT_ID", "billing-api"));
        RUNNING.add(nodeServer);
        RecipeServer springServer = RecipeServer.start("spring-resource-server", RecipeServer.RECIPES,
                List.of(java, "-jar", jar), Map.of("KC_ISSUER", issuer, "CLIENT_ID", "billing-api", "CLIENT_SECRET", "s3cret"));
        RUNNING.add(springServer);
        RecipeServer portalServer = RecipeServer.start("spring-resource-server-as-portal", RecipeServer.RECIPES,
                List.of(java, "-jar", jar), Map.of("KC_ISSUER", issuer, "CLIENT_ID", "portal", "CLIENT_SECRET", "portal-secret"));
        RUNNING.add(portalServer);
        node = nodeServer.awaitGuarding("/whoami", START_LIMIT);
        spring = springServer.awaitGuarding("/jwt/invoices", START_LIMIT);
        springAsPortal = portalServer.awaitGuarding("/jwt/invoices", START_LIMIT);
    }

    @AfterAll
    static void stopRecipes() {
        RecipeServer.stopAll(RUNNING);
        node = null;
        spring = null;
        springAsPortal = null;
        startFailure = null;
    }

    private String roleSession() {
        Http.Reply reply = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), ROLE);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("access_token").asText();
    }

    @Test
    void theNodeRecipeServesWhatTheRoleSessionGrantsAndNothingElse() {
        String session = roleSession();

        Http.Reply invoices = Http.send("GET", node.url("/invoices"), session, null, null);
        assertThat(invoices.status()).as(invoices.toString()).isEqualTo(200);
        assertThat(invoices.json().get("assumed_role").asText()).isEqualTo(ROLE_KRN);
        assertThat(invoices.json().get("principal").asText()).isEqualTo("krn:keycloak:iam::acme:user/alice");
        assertThat(invoices.json().get("roles")).extracting(JsonNode::asText).containsExactly("invoices:read");

        Http.Reply write = Http.send("POST", node.url("/invoices"), session, null, null);
        assertThat(write.status()).as(write.toString()).isEqualTo(403);
        assertThat(write.json().get("error_description").asText()).isEqualTo("role invoices:write of billing-api is required");
        // The role names no scopes, so its sessions carry none: the scope route refuses them.
        Http.Reply export = Http.send("GET", node.url("/invoices/export"), session, null, null);
        assertThat(export.status()).as(export.toString()).isEqualTo(403);
        assertThat(export.json().get("error_description").asText()).isEqualTo("scope invoices.export is required");

        Http.Reply tampered = Http.send("GET", node.url("/invoices"), session.substring(0, session.length() - 4) + "AAAA", null, null);
        assertThat(tampered.status()).isEqualTo(401);
        assertThat(tampered.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    }

    @Test
    void bothRecipesAuthorizeByTheScopesTheRoleNames() {
        ClientScopeRepresentation scope = new ClientScopeRepresentation();
        scope.setName(EXPORT_SCOPE);
        scope.setProtocol("openid-connect");
        String scopeId = ApiUtil.getCreatedId(realm.admin().clientScopes().create(scope));
        realm.cleanup().add(r -> r.clientScopes().get(scopeId).remove());
        Http.Reply created = api().post("/roles", """
                {"name": "%s", "scopes": ["%s"], "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""".formatted(EXPORTER, EXPORT_SCOPE));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        realm.cleanup().add(r -> api().delete("/roles/" + EXPORTER));
        Http.Reply assumed = Sts.assumeRole(base(), "acme", "admin-cli", null, alice(), EXPORTER);
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);
        String exporter = assumed.json().get("access_token").asText();
        String reader = roleSession();

        Http.Reply byNode = Http.send("GET", node.url("/invoices/export"), exporter, null, null);
        assertThat(byNode.status()).as(byNode.toString()).isEqualTo(200);
        assertThat(byNode.json().get("scope")).extracting(JsonNode::asText).containsExactly(EXPORT_SCOPE);
        assertThat(Http.send("GET", node.url("/invoices/export"), reader, null, null).status()).isEqualTo(403);

        Http.Reply bySpring = Http.send("GET", spring.url("/jwt/invoices/export"), exporter, null, null);
        assertThat(bySpring.status()).as(bySpring.toString()).isEqualTo(200);
        assertThat(bySpring.json().get("authorities")).extracting(JsonNode::asText)
                .containsExactly("SCOPE_" + EXPORT_SCOPE, "invoices:read");
        Http.Reply readerAtSpring = Http.send("GET", spring.url("/jwt/invoices/export"), reader, null, null);
        assertThat(readerAtSpring.status()).as(readerAtSpring.toString()).isEqualTo(403);
    }

    @Test
    void theNodeRecipeRefusesTheCallersOwnTokenWhereItRequiresARoleSession() {
        // A user holding invoices:read of billing-api herself: her own token passes every check but assumed_role.
        realm.addUser(person("clerk", "Ledger", "Clerk", "clerk@acme.test"));
        String userId = realm.admin().users().search("clerk", true).get(0).getId();
        ClientRepresentation billing = realm.admin().clients().findByClientId("billing-api").get(0);
        RoleRepresentation read = realm.admin().clients().get(billing.getId()).roles().get("invoices:read").toRepresentation();
        realm.admin().users().get(userId).roles().clientLevel(billing.getId()).add(List.of(read));
        // portal issues full tokens (admin-cli's are lightweight, without resource_access); aud gets billing-api.
        String own = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "clerk", "password", AcmeRealm.PASSWORD))
                .json().get("access_token").asText();

        Http.Reply whoami = Http.send("GET", node.url("/whoami"), own, null, null);
        assertThat(whoami.status()).as(whoami.toString()).isEqualTo(200);
        assertThat(whoami.json().get("roles")).extracting(JsonNode::asText).containsExactly("invoices:read");
        assertThat(whoami.json().get("assumed_role").isNull()).isTrue();

        Http.Reply invoices = Http.send("GET", node.url("/invoices"), own, null, null);
        assertThat(invoices.status()).as(invoices.toString()).isEqualTo(403);
        assertThat(invoices.json().get("error_description").asText()).isEqualTo("a role session (assumed_role) is required");
    }

    @Test
    void anIdTokenIssuedToTheResourceServersClientIsNotAnAccessToken() {
        // Signed by the realm, iss the realm, aud billing-api: only typ tells it from an access token.
        realm.updateClientWithCleanup("billing-api", client -> client.directAccessGrantsEnabled(true));
        Http.Reply login = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "billing-api",
                "client_secret", "s3cret", "username", "alice", "password", AcmeRealm.PASSWORD, "scope", "openid"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String idToken = login.json().get("id_token").asText();

        assertThat(Http.send("GET", node.url("/whoami"), idToken, null, null).status()).isEqualTo(401);
        // The refusal is for typ, not for any earlier check (the server logs why).
        assertThat(node.log()).contains("401 GET /whoami: not an access token");
        Http.Reply spring = Http.send("GET", ResourceServerRecipesIT.spring.url("/jwt/invoices"), idToken, null, null);
        assertThat(spring.status()).isEqualTo(401);
        assertThat(spring.header("WWW-Authenticate")).contains("The typ claim is not valid");
    }

    @Test
    void theSpringRecipeReadsTheRoleSessionsRolesFromTheJwt() {
        String session = roleSession();

        Http.Reply invoices = Http.send("GET", spring.url("/jwt/invoices"), session, null, null);
        assertThat(invoices.status()).as(invoices.toString()).isEqualTo(200);
        assertThat(invoices.json().get("verified_by").asText()).isEqualTo("jwt");
        assertThat(invoices.json().get("assumed_role").asText()).isEqualTo(ROLE_KRN);
        assertThat(invoices.json().get("authorities")).extracting(JsonNode::asText).containsExactly("invoices:read");

        Http.Reply write = Http.send("POST", spring.url("/jwt/invoices"), session, null, null);
        assertThat(write.status()).as(write.toString()).isEqualTo(403);
        assertThat(write.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");

        // The same app as another client: the session's aud does not name it.
        Http.Reply elsewhere = Http.send("GET", springAsPortal.url("/jwt/invoices"), session, null, null);
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(401);
        assertThat(elsewhere.header("WWW-Authenticate")).contains("error=\"invalid_token\"")
                .contains("error_description=\"An error occurred while attempting to decode the Jwt: The aud claim is not valid\"");
    }

    @Test
    void theSpringRecipeIntrospectsAsAClientInTheAudienceAndSeesRevocation() throws Exception {
        String session = roleSession();

        Http.Reply invoices = Http.send("GET", spring.url("/opaque/invoices"), session, null, null);
        assertThat(invoices.status()).as(invoices.toString()).isEqualTo(200);
        assertThat(invoices.json().get("verified_by").asText()).isEqualTo("introspection");
        assertThat(invoices.json().get("assumed_role").asText()).isEqualTo(ROLE_KRN);
        assertThat(invoices.json().get("authorities")).extracting(JsonNode::asText).containsExactly("invoices:read");

        // portal is not in aud: the realm tells it active:false, so its instance answers 401.
        Http.Reply asPortal = Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "portal", "client_secret", "portal-secret", "token", session));
        assertThat(asPortal.json().get("active").asBoolean()).as(asPortal.toString()).isFalse();
        Http.Reply elsewhere = Http.send("GET", springAsPortal.url("/opaque/invoices"), session, null, null);
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(401);
        assertThat(elsewhere.header("WWW-Authenticate")).contains("error=\"invalid_token\"")
                .contains("error_description=\"Provided token isn't active\"");

        // Revoked: introspection knows at once; a JWT-only resource server accepts the token until it expires.
        String tokenId = Sts.verify(base(), "acme", session).getId();
        assertThat(api().delete("/sessions/" + tokenId).status()).isEqualTo(204);
        assertThat(Http.send("GET", spring.url("/opaque/invoices"), session, null, null).status()).isEqualTo(401);
        assertThat(Http.send("GET", spring.url("/jwt/invoices"), session, null, null).status()).isEqualTo(200);
    }
}
