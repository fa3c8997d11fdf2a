package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.jose.jwk.JWKBuilder;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.PolicyEnforcementMode;
import org.keycloak.representations.idm.authorization.PolicyRepresentation;
import org.keycloak.representations.idm.authorization.ResourceRepresentation;
import org.keycloak.representations.idm.authorization.ResourceServerRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boundary of role sessions (issue 14, defects 1, 9, 10, 11): a role session is accepted only where the role's
 * grants are what counts (chaining, userinfo, introspection of it, revocation of it, caller identity) and refused
 * everywhere Keycloak would act with the user's own rights; every introspection and RFC 7009 revocation of a role
 * session goes through one liveness rule; nothing the exchange does not support is silently ignored.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleSessionBoundaryIT extends AcmeFixture {

    private static final String CALLBACK = RolePickerIT.CALLBACK;
    private static final Pattern ROLE_OPTION = Pattern.compile("name=\"role\" value=\"([^\"]+)\"");
    private static final Pattern ROLE_NAME = Pattern.compile("class=\"kcsts-role-name\">([^<]+)<");
    private static final String UMA = "urn:ietf:params:oauth:grant-type:uma-ticket";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeEach
    void fixtures() {
        if (realm.admin().clients().findByClientId("console").isEmpty()) {
            RolePickerIT.setUpRoleSignIn(realm, CALLBACK);
        }
        api().ensureRole("""
                {"name": "boundary-console", "path": "/console/", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/realm-admin"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        api().ensureRole("""
                {"name": "boundary-reader", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        if (realm.admin().clients().findByClientId("reports-server").isEmpty()) {
            createResourceServer();
        }
    }

    /**
     * A resource server with authorization services whose one permission the role session passes (Keycloak
     * evaluates UMA policies on the presented token's roles; it then builds the RPT from the user session, with the
     * user's own roles: the defect).
     */
    private void createResourceServer() {
        ClientRepresentation server = new ClientRepresentation();
        server.setClientId("reports-server");
        server.setSecret("reports-secret");
        server.setPublicClient(false);
        server.setServiceAccountsEnabled(true);
        server.setAuthorizationServicesEnabled(true);
        ResourceServerRepresentation settings = new ResourceServerRepresentation();
        settings.setPolicyEnforcementMode(PolicyEnforcementMode.ENFORCING);
        settings.setDecisionStrategy(DecisionStrategy.AFFIRMATIVE);
        ResourceRepresentation reports = new ResourceRepresentation("reports");
        settings.setResources(List.of(reports));
        PolicyRepresentation admins = new PolicyRepresentation();
        admins.setName("invoice readers");
        admins.setType("role");
        admins.setConfig(Map.of("roles", "[{\"id\":\"billing-api/invoices:read\",\"required\":false}]"));
        PolicyRepresentation permission = new PolicyRepresentation();
        permission.setName("reports for invoice readers");
        permission.setType("resource");
        permission.setConfig(Map.of("resources", "[\"reports\"]", "applyPolicies", "[\"invoice readers\"]"));
        settings.setPolicies(List.of(admins, permission));
        server.setAuthorizationSettings(settings);
        try (Response created = realm.admin().clients().create(server)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
    }

    /** realm-admin signs in to the console and picks boundary-console: a sign-in role session with a user session. */
    private JsonNode signInSession() {
        Browser browser = new Browser(CALLBACK).open(base() + "/realms/acme/protocol/openid-connect/auth?client_id=console"
                        + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8))
                .submit(Map.of("username", "realm-admin", "password", AcmeRealm.PASSWORD));
        if (browser.body().contains("name=\"role\"")) {
            browser.submit(Map.of("role", optionFor(browser, "boundary-console"), "duration", "900"));
        }
        Http.Reply tokens = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "authorization_code",
                "code", browser.code(), "redirect_uri", CALLBACK, "client_id", "console", "client_secret", "console-secret"));
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        return tokens.json();
    }

    private static String optionFor(Browser browser, String roleName) {
        Matcher names = ROLE_NAME.matcher(browser.body());
        Matcher options = ROLE_OPTION.matcher(browser.body());
        while (options.find() && names.find()) {
            if (names.group(1).equals(roleName)) {
                return options.group(1);
            }
        }
        throw new AssertionError(roleName + " not offered: " + browser.body());
    }

    private String assumeReader(String clientId, String secret) {
        // The subject token is one of the requesting client's own (issue 14 item 4 binds the two).
        Map<String, String> login = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id", clientId,
                "username", "alice", "password", AcmeRealm.PASSWORD));
        if (secret != null) {
            login.put("client_secret", secret);
        }
        String subject = Http.form(Sts.tokenUrl(base(), "acme"), login).json().get("access_token").asText();
        Http.Reply reply = Sts.assumeRole(base(), "acme", clientId, secret, subject, "boundary-reader");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("access_token").asText();
    }

    private JsonNode introspect(String token, String hint) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token));
        if (hint != null) {
            form.put("token_type_hint", hint);
        }
        Http.Reply reply = Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect", form);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private Http.Reply revoke(String token, Map<String, String> client, String basic) {
        Map<String, String> form = new LinkedHashMap<>(client);
        form.put("token", token);
        return send(base() + "/realms/acme/protocol/openid-connect/revoke", form,
                basic == null ? Map.of() : Map.of("Authorization", "Basic " + basic));
    }

    private static Http.Reply send(String url, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.formBody(form)));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code error} and {@code error_description} of a JSON reply, or empty when it has none. */
    private static String error(Http.Reply reply) {
        try {
            JsonNode json = Http.JSON.readTree(reply.body());
            return json.path("error").asText("") + ": " + json.path("error_description").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Test
    void aSignInRoleSessionIsRefusedWhereverKeycloakWouldActWithTheUsersOwnRights() throws Exception {
        JsonNode tokens = signInSession();
        String session = tokens.get("access_token").asText();
        AccessToken claims = Sts.verify(base(), "acme", session);
        assertThat(claims.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/boundary-console");
        assertThat(claims.getSessionId()).as("a sign-in role session has a user session").isNotNull();
        SoftAssertions soft = new SoftAssertions();

        // UMA: the RPT would carry the user's own roles (realm-management realm-admin) and be taken by the admin API.
        Http.Reply uma = send(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", UMA, "audience", "reports-server"),
                Map.of("Authorization", "Bearer " + session));
        soft.assertThat(uma.status()).as("UMA grant with the session as bearer: " + uma).isEqualTo(400);
        soft.assertThat(error(uma)).as("UMA").startsWith("invalid_grant: ").contains("role session");
        Http.Reply umaBySubject = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", UMA, "audience", "reports-server",
                "client_id", "reports-server", "client_secret", "reports-secret", "subject_token", session));
        soft.assertThat(umaBySubject.status()).as("UMA grant with the session as subject_token: " + umaBySubject).isEqualTo(400);
        soft.assertThat(error(umaBySubject)).as("UMA by subject_token").startsWith("invalid_grant: ");
        // Outsider review: as claim_token, with a control character Keycloak strips, in a multipart body, and the
        // login's ID token as claim_token at the sign-in client: all refused.
        Http.Reply umaByClaim = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", UMA, "audience", "reports-server",
                "client_id", "console", "client_secret", "console-secret", "claim_token", session));
        soft.assertThat(umaByClaim.status()).as("UMA grant with the session as claim_token: " + umaByClaim).isEqualTo(400);
        soft.assertThat(error(umaByClaim)).startsWith("invalid_grant: ");
        Http.Reply padded = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", UMA, "audience", "reports-server",
                "client_id", "reports-server", "client_secret", "reports-secret", "subject_token", session.replaceFirst("\\.", ".\u0001")));
        soft.assertThat(padded.status()).as("UMA grant with a control character in the session: " + padded).isEqualTo(400);
        soft.assertThat(error(padded)).startsWith("invalid_grant: ");
        String boundary = "kcsts-boundary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\n" + UMA
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"subject_token\"\r\n\r\n" + session
                + "\r\n--" + boundary + "--\r\n";
        Http.Reply multi = Http.send("POST", Sts.tokenUrl(base(), "acme"), null, "multipart/form-data; boundary=" + boundary,
                multipart.getBytes(StandardCharsets.UTF_8));
        soft.assertThat(multi.status()).as("a multipart body at the token endpoint: " + multi).isEqualTo(400);
        soft.assertThat(error(multi)).startsWith("invalid_request: ").contains("application/x-www-form-urlencoded");
        Http.Reply byIdToken = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", UMA, "audience", "reports-server",
                "client_id", "console", "client_secret", "console-secret", "claim_token", tokens.get("id_token").asText(),
                "claim_token_format", "http://openid.net/specs/openid-connect-core-1_0.html#IDToken"));
        soft.assertThat(byIdToken.status()).as("UMA grant by the sign-in client with the login's ID token: " + byIdToken).isEqualTo(400);
        soft.assertThat(error(byIdToken)).startsWith("unauthorized_client: ");
        // Round two: a repeated grant_type (Keycloak takes the first) must not slip past the UMA rule.
        Http.Reply repeated = Http.send("POST", Sts.tokenUrl(base(), "acme"), null, "application/x-www-form-urlencoded",
                ("grant_type=" + URLEncoder.encode(UMA, StandardCharsets.UTF_8) + "&grant_type=" + URLEncoder.encode(UMA, StandardCharsets.UTF_8)
                        + "&audience=reports-server&client_id=console&client_secret=console-secret&claim_token="
                        + tokens.get("id_token").asText()).getBytes(StandardCharsets.UTF_8));
        soft.assertThat(repeated.status()).as("UMA grant with grant_type given twice: " + repeated).isEqualTo(400);
        soft.assertThat(error(repeated)).startsWith("invalid_request: grant_type: given 2 times");

        // Any admin path (serverinfo, the realm's, ours), the account API, authorization services: 401 invalid_token.
        for (String path : List.of("/admin/serverinfo", "/admin/realms/acme/users", "/admin/realms/acme/iam/roles",
                "/admin/master/console/whoami", "/realms/acme/account/", "/realms/acme/authz/protection/resource_set")) {
            Http.Reply refused = Http.getJson(base() + path, session);
            soft.assertThat(refused.status()).as(path + " " + refused).isEqualTo(401);
            soft.assertThat(refused.header("WWW-Authenticate")).as(path).contains("invalid_token");
        }
        // Another grant at the token endpoint with the session as bearer.
        Http.Reply clientCredentials = send(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "client_credentials",
                "client_id", "reports-server", "client_secret", "reports-secret"), Map.of("Authorization", "Bearer " + session));
        soft.assertThat(clientCredentials.status()).as("client_credentials with the session as bearer: " + clientCredentials)
                .isEqualTo(400);
        soft.assertThat(error(clientCredentials)).startsWith("invalid_grant: ");

        // The login's scope is not the role session's: only openid (the OIDC login it came from) stays.
        soft.assertThat(claims.getScope()).as("scope of the sign-in role session").isEqualTo("openid");
        soft.assertAll();

        // Where the role's grants are what counts, it still works: userinfo, caller identity, introspection.
        assertThat(Http.getJson(base() + "/realms/acme/protocol/openid-connect/userinfo", session).status()).isEqualTo(200);
        Http.Reply identity = Http.getJson(base() + "/realms/acme/iam/caller-identity", session);
        assertThat(identity.status()).as(identity.toString()).isEqualTo(200);
        assertThat(introspect(session, null).get("active").asBoolean()).isTrue();
        // A refresh still gives a role session of the same role, still without the login's scope.
        Http.Reply refreshed = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText(), "client_id", "console", "client_secret", "console-secret"));
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        AccessToken again = Sts.verify(base(), "acme", refreshed.json().get("access_token").asText());
        assertThat(again.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/boundary-console");
        assertThat(again.getScope()).isEqualTo("openid");
        // An ordinary token still reaches everything (realm-admin's own login at admin-cli).
        String own = userToken("realm-admin");
        assertThat(Http.getJson(base() + "/admin/realms/acme/users", own).status()).isEqualTo(200);
        assertThat(Http.getJson(base() + "/admin/serverinfo", own).status()).isEqualTo(200);
    }

    @Test
    void everyIntrospectionOfARoleSessionFollowsOneRuleWhateverTheHint() {
        // Revocation counts in whole seconds and includes its own second (iat <= revokedAt). This test runs 2 s in
        // the past by the server's clock, so its revocations reach none of the sessions later tests issue.
        clock.set(-2);
        List<String> hints = List.of("requesting_party_token", "refresh_token", "access_token");
        SoftAssertions soft = new SoftAssertions();
        String session = signInSession().get("access_token").asText();
        assertThat(introspect(session, null).get("active").asBoolean()).isTrue();
        assertThat(api().post("/roles/boundary-console/revoke-sessions", "").status()).isEqualTo(200);
        for (String hint : hints) {
            soft.assertThat(introspect(session, hint).get("active").asBoolean()).as("revoked sign-in session, hint " + hint).isFalse();
        }
        String assumed = assumeReader("admin-cli", null);
        for (String hint : hints) {
            JsonNode live = introspect(assumed, hint);
            soft.assertThat(live.get("active").asBoolean()).as("live AssumeRole session, hint " + hint + " " + live).isTrue();
            soft.assertThat(live.path("assumed_role").asText()).as(hint).isEqualTo("krn:keycloak:iam::acme:role/boundary-reader");
        }
        assertThat(api().post("/roles/boundary-reader/revoke-sessions", "").status()).isEqualTo(200);
        for (String hint : hints) {
            soft.assertThat(introspect(assumed, hint).get("active").asBoolean()).as("revoked AssumeRole session, hint " + hint).isFalse();
        }
        soft.assertAll();
    }

    @Test
    void rfc7009RevocationByTheHolderEndsTheRoleSessionEverywhere() {
        SoftAssertions soft = new SoftAssertions();
        // A public client (RFC 7009 §5 lets it revoke its own tokens).
        String publicSession = assumeReader("admin-cli", null);
        Http.Reply byOther = revoke(publicSession, Map.of("client_id", "portal", "client_secret", "portal-secret"), null);
        soft.assertThat(byOther.status()).as("only the token's client may revoke it (RFC 7009 §2.1): " + byOther).isEqualTo(400);
        soft.assertThat(introspect(publicSession, null).get("active").asBoolean()).as("after another client's revoke").isTrue();
        Http.Reply revoked = revoke(publicSession, Map.of("client_id", "admin-cli"), null);
        soft.assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        soft.assertThat(introspect(publicSession, null).get("active").asBoolean()).as("revoked by its public client").isFalse();
        soft.assertThat(Http.getJson(base() + "/realms/acme/protocol/openid-connect/userinfo", publicSession).status())
                .as("userinfo after revoke").isEqualTo(401);
        soft.assertThat(Http.getJson(base() + "/realms/acme/iam/caller-identity", publicSession).status())
                .as("caller identity after revoke").isEqualTo(401);
        // Revoking it again (or any invalid token) is a 200 that changes nothing (RFC 7009 §2.2).
        soft.assertThat(revoke(publicSession, Map.of("client_id", "admin-cli"), null).status()).isEqualTo(200);

        // A confidential client, by client_secret_basic: a wrong secret is 401 invalid_client and revokes nothing.
        String confidential = assumeReader("portal", "portal-secret");
        String wrong = Base64.getEncoder().encodeToString("portal:nope".getBytes(StandardCharsets.UTF_8));
        Http.Reply unauthenticated = revoke(confidential, Map.of(), wrong);
        soft.assertThat(unauthenticated.status()).as(unauthenticated.toString()).isEqualTo(401);
        soft.assertThat(error(unauthenticated)).startsWith("invalid_client: ");
        soft.assertThat(introspect(confidential, null).get("active").asBoolean()).as("after a wrong secret").isTrue();
        String right = Base64.getEncoder().encodeToString("portal:portal-secret".getBytes(StandardCharsets.UTF_8));
        soft.assertThat(revoke(confidential, Map.of(), right).status()).isEqualTo(200);
        soft.assertThat(introspect(confidential, null).get("active").asBoolean()).as("revoked by client_secret_basic").isFalse();

        // A sign-in role session, by its client (client_secret_post).
        String signIn = signInSession().get("access_token").asText();
        soft.assertThat(revoke(signIn, Map.of("client_id", "console", "client_secret", "console-secret"), null).status()).isEqualTo(200);
        soft.assertThat(introspect(signIn, null).get("active").asBoolean()).as("sign-in session revoked by its client").isFalse();
        soft.assertThat(Http.getJson(base() + "/realms/acme/protocol/openid-connect/userinfo", signIn).status())
                .as("userinfo of the revoked sign-in session").isEqualTo(401);
        soft.assertAll();
    }

    @Test
    void whatTheExchangeDoesNotSupportIsRefusedNeverIgnored() throws Exception {
        String alice = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", "alice", "password", AcmeRealm.PASSWORD)).json().get("access_token").asText();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        SoftAssertions soft = new SoftAssertions();

        // A DPoP proof: the role session would be a bearer token, so the proof is refused, not ignored.
        Http.Reply withProof = send(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", Sts.TOKEN_EXCHANGE, "client_id", "admin-cli",
                        "subject_token", alice, "subject_token_type", Sts.ACCESS_TOKEN, "role", "boundary-reader"),
                Map.of("DPoP", proof(key, Sts.tokenUrl(base(), "acme"))));
        soft.assertThat(withProof.status()).as("DPoP proof: " + withProof).isEqualTo(400);
        soft.assertThat(error(withProof)).as("DPoP proof").startsWith("invalid_request: DPoP:");

        for (String[] unsupported : List.of(new String[]{"actor_token", alice}, new String[]{"actor_token_type", Sts.ACCESS_TOKEN},
                new String[]{"resource", "https://reports.acme.test"},
                new String[]{"requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"},
                new String[]{"requested_token_type", "urn:ietf:params:oauth:token-type:id_token"})) {
            Http.Reply refused = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "boundary-reader", unsupported[0], unsupported[1]);
            soft.assertThat(refused.status()).as(unsupported[0] + " " + refused).isEqualTo(400);
            soft.assertThat(error(refused)).as(unsupported[0]).startsWith("invalid_request: " + unsupported[0] + ":");
        }

        // A DPoP-bound subject token (cnf.jkt) never becomes a bearer role session.
        Http.Reply bound = send(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "alice", "password", AcmeRealm.PASSWORD),
                Map.of("DPoP", proof(key, Sts.tokenUrl(base(), "acme"))));
        assertThat(bound.status()).as(bound.toString()).isEqualTo(200);
        String boundToken = bound.json().get("access_token").asText();
        assertThat(Sts.verify(base(), "acme", boundToken).getConfirmation()).as("precondition: DPoP-bound").isNotNull();
        Http.Reply fromBound = Sts.assumeRole(base(), "acme", "portal", "portal-secret", boundToken, "boundary-reader");
        soft.assertThat(fromBound.status()).as("DPoP-bound subject token: " + fromBound).isEqualTo(400);
        soft.assertThat(error(fromBound)).startsWith("invalid_request: subject_token:").contains("sender-constrained");

        // An over-long role, which Keycloak's token endpoint drops, never makes this a standard exchange.
        String alicePortal = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "alice", "password", AcmeRealm.PASSWORD)).json().get("access_token").asText();
        Http.Reply longRole = Sts.assumeRole(base(), "acme", "portal", "portal-secret", alicePortal, "r".repeat(5000));
        soft.assertThat(longRole.status()).as("over-long role: " + longRole).isEqualTo(400);
        soft.assertThat(error(longRole)).startsWith("invalid_request: role:");
        soft.assertThat(longRole.body()).doesNotContain("access_token");
        soft.assertAll();
    }

    /** An RFC 9449 DPoP proof for a POST to {@code url}. */
    private static String proof(KeyPair key, String url) {
        JWK jwk = JWKBuilder.create().rs256(key.getPublic());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", "POST");
        claims.put("htu", url);
        claims.put("iat", System.currentTimeMillis() / 1000);
        return new JWSBuilder().type("dpop+jwt").jwk(jwk).jsonContent(claims).rsa256(key.getPrivate());
    }
}
