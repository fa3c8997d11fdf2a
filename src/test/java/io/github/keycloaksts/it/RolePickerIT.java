package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderSimpleRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in role picker: users signing in to a client set up for role sign-in (the {@code kcsts-role-session}
 * mapper) choose a role through the real login pages, and the application's tokens are that role session, at
 * issue, refresh, introspection and userinfo. Logins run through a cookie-keeping HTTP client; the real-browser
 * run of the same flow is {@code src/test/browser/picker.mjs}.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RolePickerIT extends AcmeFixture {

    static final String CALLBACK = "http://127.0.0.1:1/callback";
    private static final Pattern ROLE_OPTION = Pattern.compile("name=\"role\" value=\"([^\"]+)\"");
    private static final Pattern ROLE_NAME = Pattern.compile("class=\"kcsts-role-name\">([^<]+)<");

    @BeforeEach
    void consoleSetUpForRoleSignIn() {
        if (!realm.admin().clients().findByClientId("console").isEmpty()) {
            return;
        }
        setUpRoleSignIn(realm, CALLBACK);
        // alice (group /engineering/sre) may take two console roles; a third needs a second factor; a role outside
        // /console/ is never offered by this client; carol has exactly one; nobody has none.
        createRole("console-readonly", "/console/", "Look, do not touch", 3600,
                "{\"Keycloak\": \"krn:keycloak:iam::acme:group/engineering/sre\"}", "{}", "{\"realmRoles\": [\"reports-reader\"]}");
        createRole("console-billing", "/console/", "Invoices for the finance team", 7200,
                "{\"Keycloak\": \"krn:keycloak:iam::acme:user/alice\"}", "{\"StringEquals\": {\"kc:ClientId\": \"console\"}}",
                "{\"clientRoles\": {\"billing-api\": [\"invoices:read\"]}}");
        createRole("console-admin", "/console/", "Needs a second factor", 3600,
                "{\"Keycloak\": \"krn:keycloak:iam::acme:user/alice\"}", "{\"Bool\": {\"kc:MultiFactorAuthPresent\": \"true\"}}",
                "{\"realmRoles\": [\"reports-writer\"]}");
        createRole("elsewhere", "/other/", "", 3600,
                "{\"Keycloak\": \"krn:keycloak:iam::acme:user/alice\"}", "{}", "{\"realmRoles\": [\"reports-writer\"]}");
        createRole("contractor", "/console/", "Carol's only role", 3600,
                "{\"Keycloak\": \"krn:keycloak:iam::acme:user/carol\"}", "{}", "{\"clientRoles\": {\"billing-api\": [\"invoices:read\"]}}");
    }

    /**
     * What an administrator does to set a client up (docs/sign-in.md): a client with the mapper, and the required
     * action registered and enabled.
     */
    static void setUpRoleSignIn(ManagedRealm realm, String redirectUri) {
        ClientRepresentation console = new ClientRepresentation();
        console.setClientId("console");
        console.setName("Acme console");
        console.setSecret("console-secret");
        console.setPublicClient(false);
        console.setStandardFlowEnabled(true);
        console.setDirectAccessGrantsEnabled(true);
        console.setRedirectUris(List.of(redirectUri));
        console.setWebOrigins(List.of("+"));
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("IAM role session");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("kcsts-role-session");
        mapper.setConfig(Map.of("rolePathPrefix", "/console/"));
        console.setProtocolMappers(List.of(mapper));
        try (Response created = realm.admin().clients().create(console)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        boolean registered = realm.admin().flows().getRequiredActions().stream()
                .anyMatch(action -> action.getAlias().equals("kcsts-choose-role"));
        if (!registered) {
            RequiredActionProviderSimpleRepresentation action = new RequiredActionProviderSimpleRepresentation();
            action.setProviderId("kcsts-choose-role");
            action.setName("Choose an IAM role");
            realm.admin().flows().registerRequiredAction(action);
        }
        RequiredActionProviderRepresentation action = realm.admin().flows().getRequiredAction("kcsts-choose-role");
        action.setEnabled(true);
        realm.admin().flows().updateRequiredAction("kcsts-choose-role", action);
    }

    private void createRole(String name, String path, String description, int maxSessionDuration, String principal,
                            String condition, String permissions) {
        Http.Reply created = api().post("/roles", """
                {"name": "%s", "path": "%s", "description": "%s", "maxSessionDuration": %d,
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": %s,
                   "Action": "sts:AssumeRole", "Condition": %s}]},
                 "permissions": %s}""".formatted(name, path, description, maxSessionDuration, principal, condition, permissions));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private Browser signIn(String username) {
        return new Browser(CALLBACK).open(authorize("console", ""))
                .submit(Map.of("username", username, "password", AcmeRealm.PASSWORD));
    }

    private String authorize(String clientId, String extra) {
        return base() + "/realms/acme/protocol/openid-connect/auth?client_id=" + clientId
                + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + extra;
    }

    private JsonNode tokens(String code) {
        Http.Reply tokens = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", CALLBACK, "client_id", "console", "client_secret", "console-secret"));
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        return tokens.json();
    }

    private static List<String> offered(Browser browser) {
        return ROLE_NAME.matcher(browser.body()).results().map(m -> m.group(1)).toList();
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

    private Http.Reply introspect(String token) {
        return Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token));
    }

    @Test
    void theApplicationsTokensCarryTheChosenRoleAndNothingOfTheUser() throws Exception {
        realm.updateWithCleanup(r -> r.eventsEnabled(true).enabledEventTypes("LOGIN", "LOGIN_ERROR"));
        Browser browser = signIn("alice");
        assertThat(offered(browser)).containsExactly("console-billing", "console-readonly");
        assertThat(browser.body()).contains("Acme console").contains("Invoices for the finance team");

        browser.submit(Map.of("role", optionFor(browser, "console-billing"), "duration", "1800"));
        JsonNode tokens = tokens(browser.code());
        String accessToken = tokens.get("access_token").asText();
        AccessToken session = Sts.verify(base(), "acme", accessToken);
        String aliceId = realm.admin().users().search("alice").get(0).getId();
        assertThat(session.getSubject()).isEqualTo(aliceId);
        assertThat(session.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-billing")
                .containsEntry("principal", "krn:keycloak:iam::acme:user/alice")
                .containsEntry("role_session_name", "alice")
                .doesNotContainKeys("email", "preferred_username");
        // Only the role's grant: alice's own realm role reports-reader, and her group's reports-writer, are absent.
        assertThat(session.getRealmAccess()).isNull();
        assertThat(session.getResourceAccess()).containsOnlyKeys("billing-api");
        assertThat(session.getResourceAccess("billing-api").getRoles()).containsExactly("invoices:read");
        assertThat(session.getAudience()).containsExactly("billing-api");
        assertThat(session.getIssuedFor()).isEqualTo("console");
        assertThat(session.getExp() - session.getIat()).isLessThanOrEqualTo(1800);

        // Introspection answers with the role session's own claims.
        JsonNode introspected = introspect(accessToken).json();
        assertThat(introspected.get("active").asBoolean()).isTrue();
        assertThat(introspected.get("assumed_role").asText()).isEqualTo("krn:keycloak:iam::acme:role/console/console-billing");
        assertThat(introspected.has("realm_access")).isFalse();
        assertThat(introspected.get("resource_access").toString()).isEqualTo("{\"billing-api\":{\"roles\":[\"invoices:read\"]}}");
        // Userinfo: the session's claims, nothing of the profile.
        Http.Reply userinfo = Http.getJson(base() + "/realms/acme/protocol/openid-connect/userinfo", accessToken);
        assertThat(userinfo.status()).as(userinfo.toString()).isEqualTo(200);
        assertThat(userinfo.json().get("assumed_role").asText()).endsWith(":role/console/console-billing");
        assertThat(userinfo.json().has("email")).isFalse();
        // Keycloak's session-backed APIs refuse it as a token of alice, and the standard token exchange will not
        // trade it for her own rights (billing-api is in aud and may use standard exchange).
        assertThat(Http.getJson(base() + "/realms/acme/account/", accessToken).status()).isEqualTo(401);
        Http.Reply adminApi = Http.getJson(base() + "/admin/realms/acme/users", accessToken);
        assertThat(adminApi.status()).isEqualTo(401);
        assertThat(adminApi.header("WWW-Authenticate")).contains("invalid_token");
        Http.Reply traded = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", Sts.TOKEN_EXCHANGE,
                "client_id", "billing-api", "client_secret", "s3cret", "subject_token", accessToken,
                "subject_token_type", Sts.ACCESS_TOKEN));
        assertThat(traded.status()).as(traded.toString()).isEqualTo(400);
        assertThat(traded.json().get("error_description").asText()).isEqualTo("role: is required");

        // A refresh within the chosen duration: a new token of the same role session.
        Http.Reply refreshed = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText(), "client_id", "console", "client_secret", "console-secret"));
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        AccessToken again = Sts.verify(base(), "acme", refreshed.json().get("access_token").asText());
        assertThat(again.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-billing");
        assertThat(again.getId()).isNotEqualTo(session.getId());
        assertThat(again.getExp()).isLessThanOrEqualTo(session.getIat() + 1800 + 1);
        assertThat(introspect(refreshed.json().get("access_token").asText()).json().get("active").asBoolean()).isTrue();

        // The LOGIN event says which role was chosen.
        List<EventRepresentation> events = realm.admin().getEvents(List.of("LOGIN"), "console", aliceId, null, null, null, 0, 10);
        assertThat(events).anySatisfy(event -> assertThat(event.getDetails())
                .containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-billing")
                .containsEntry("duration_seconds", "1800"));

        // Revoking the role's sessions ends this one at introspection, and refreshes carry no permissions any more.
        assertThat(api().post("/roles/console-billing/revoke-sessions", "").status()).isEqualTo(200);
        assertThat(introspect(accessToken).json().get("active").asBoolean()).isFalse();
        Http.Reply afterRevoke = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "refresh_token",
                "refresh_token", refreshed.json().get("refresh_token").asText(), "client_id", "console", "client_secret", "console-secret"));
        assertThat(afterRevoke.status()).as(afterRevoke.toString()).isEqualTo(200);
        AccessToken stripped = Sts.verify(base(), "acme", afterRevoke.json().get("access_token").asText());
        assertThat(stripped.getRealmAccess()).isNull();
        assertThat(stripped.getResourceAccess()).isEmpty();
        // A role session of no role: dead everywhere, never a token of alice to trade (outsider review, issue 14).
        assertThat(stripped.getOtherClaims()).containsEntry("assumed_role", "");
        assertThat(stripped.getScope()).isEqualTo("openid");
        String strippedToken = afterRevoke.json().get("access_token").asText();
        assertThat(Http.getJson(base() + "/realms/acme/iam/caller-identity", strippedToken).status()).isEqualTo(401);
        assertThat(Http.getJson(base() + "/realms/acme/protocol/openid-connect/userinfo", strippedToken).status()).isEqualTo(401);
        Http.Reply tradedAgain = Sts.assumeRole(base(), "acme", "console", "console-secret", strippedToken, "console-readonly");
        assertThat(tradedAgain.status()).as(tradedAgain.toString()).isEqualTo(400);
        assertThat(tradedAgain.json().get("error_description").asText()).isEqualTo("subject_token: role session invalid, expired or revoked");
    }

    @Test
    void logoutEndsTheRoleSession() {
        Browser browser = signIn("alice");
        browser.submit(Map.of("role", optionFor(browser, "console-readonly"), "duration", "900"));
        JsonNode tokens = tokens(browser.code());
        String accessToken = tokens.get("access_token").asText();
        assertThat(Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "console", "client_secret", "console-secret", "token", accessToken)).json().get("active").asBoolean())
                .as("console is not in aud: only the clients the role grants for may introspect").isFalse();

        Http.Reply logout = Http.form(base() + "/realms/acme/protocol/openid-connect/logout", Map.of(
                "client_id", "console", "client_secret", "console-secret", "refresh_token", tokens.get("refresh_token").asText()));
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);
        Http.Reply userinfo = Http.getJson(base() + "/realms/acme/protocol/openid-connect/userinfo", accessToken);
        assertThat(userinfo.status()).isEqualTo(401);
    }

    @Test
    void theFormIsCheckedAgainOnSubmit() {
        Browser browser = signIn("alice");
        // A role id that was not offered (console-admin needs a second factor) cannot be slipped in.
        browser.submit(Map.of("role", "not-an-offered-role", "duration", "900"));
        assertThat(browser.body()).contains("Choose one of the roles listed.");
        assertThat(offered(browser)).containsExactly("console-billing", "console-readonly");
        // More than the role's maximum, or less than AWS's minimum.
        browser.submit(Map.of("role", optionFor(browser, "console-readonly"), "duration", "7200"));
        assertThat(browser.body()).contains("between 900 and 3600 seconds");
        browser.submit(Map.of("role", optionFor(browser, "console-readonly"), "duration", "60"));
        assertThat(browser.body()).contains("between 900 and 3600 seconds");
        browser.submit(Map.of("role", optionFor(browser, "console-readonly"), "duration", "3600"));
        AccessToken token = verify(tokens(browser.code()).get("access_token").asText());
        assertThat(token.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-readonly");
        assertThat(token.getRealmAccess().getRoles()).containsExactly("reports-reader");
    }

    @Test
    void exactlyOneRoleIsTakenWithoutAskingAndNoneEndsOnAClearPage() {
        Browser carol = signIn("carol");
        AccessToken token = verify(tokens(carol.code()).get("access_token").asText());
        assertThat(token.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/contractor");
        assertThat(token.getExp() - token.getIat()).isLessThanOrEqualTo(3600);

        realm.updateWithCleanup(r -> r.eventsEnabled(true).enabledEventTypes("LOGIN", "LOGIN_ERROR"));
        Browser nobody = signIn("nobody");
        assertThat(nobody.body()).contains("No IAM role allows you to sign in to Acme console");
        assertThat(nobody.body()).doesNotContain("name=\"role\"");
        String nobodyId = realm.admin().users().search("nobody").get(0).getId();
        assertThat(realm.admin().getEvents(List.of("LOGIN_ERROR"), "console", nobodyId, null, null, null, 0, 10))
                .anySatisfy(event -> {
                    assertThat(event.getError()).isEqualTo("access_denied");
                    assertThat(event.getDetails()).containsEntry("reason", "no IAM role allows this user for this application");
                });
    }

    @Test
    void ssoKeepsTheRoleAndKcActionSwitchesIt() {
        Browser browser = signIn("alice");
        browser.submit(Map.of("role", optionFor(browser, "console-readonly"), "duration", "3600"));
        assertThat(verify(tokens(browser.code()).get("access_token").asText()).getOtherClaims())
                .containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-readonly");

        // Signing in again in the same browser: SSO, no question, same role.
        browser.open(authorize("console", ""));
        assertThat(verify(tokens(browser.code()).get("access_token").asText()).getOtherClaims())
                .containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-readonly");

        // The application asks to switch role (kc_action); Keycloak asks for the password again when the login is
        // older than its re-authentication window, which it is not here.
        browser.open(authorize("console", "&kc_action=kcsts-choose-role"));
        assertThat(offered(browser)).containsExactly("console-billing", "console-readonly");
        browser.submit(Map.of("role", optionFor(browser, "console-billing"), "duration", "900"));
        AccessToken switched = verify(tokens(browser.code()).get("access_token").asText());
        assertThat(switched.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-billing");
        assertThat(switched.getExp() - switched.getIat()).isLessThanOrEqualTo(900);
    }

    @Test
    void aSecondFactorAtThisLoginUnlocksTheRolesThatNeedOne() throws Exception {
        org.keycloak.representations.idm.UserRepresentation olivia = new org.keycloak.representations.idm.UserRepresentation();
        olivia.setUsername("olivia");
        olivia.setEnabled(true);
        olivia.setEmail("olivia@acme.test");
        olivia.setEmailVerified(true);
        olivia.setFirstName("Olivia");
        olivia.setLastName("Operator");
        olivia.setRequiredActions(List.of("CONFIGURE_TOTP"));
        org.keycloak.representations.idm.CredentialRepresentation password = new org.keycloak.representations.idm.CredentialRepresentation();
        password.setType("password");
        password.setValue(AcmeRealm.PASSWORD);
        password.setTemporary(false);
        olivia.setCredentials(List.of(password));
        try (Response created = realm.admin().users().create(olivia)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        createRole("olivia-readonly", "/console/", "", 3600, "{\"Keycloak\": \"krn:keycloak:iam::acme:user/olivia\"}", "{}",
                "{\"realmRoles\": [\"reports-reader\"]}");
        createRole("olivia-admin", "/console/", "", 3600, "{\"Keycloak\": \"krn:keycloak:iam::acme:user/olivia\"}",
                "{\"Bool\": {\"kc:MultiFactorAuthPresent\": \"true\"}, \"NumericLessThan\": {\"kc:MultiFactorAuthAge\": \"300\"}}",
                "{\"realmRoles\": [\"reports-writer\"]}");

        // First login: she sets up OTP, but signed in with her password only: one role, taken without asking.
        Browser first = signIn("olivia");
        String secret = first.field("totpSecret");
        org.keycloak.models.utils.TimeBasedOTP otp = new org.keycloak.models.utils.TimeBasedOTP("HmacSHA1", 6, 30, 1);
        first.submit(Map.of("totp", otp.generateTOTP(secret), "userLabel", "phone"));
        assertThat(verify(tokens(first.code()).get("access_token").asText()).getOtherClaims())
                .containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/olivia-readonly");

        // Next login, in a new browser, with the second factor: the role needing it is offered too. (The code of
        // the next 30-second window: Keycloak refuses a code used once.)
        Browser second = signIn("olivia");
        java.util.Calendar next = java.util.Calendar.getInstance();
        next.add(java.util.Calendar.SECOND, 30);
        otp.setCalendar(next);
        second.submit(Map.of("otp", otp.generateTOTP(secret)));
        assertThat(offered(second)).containsExactly("olivia-admin", "olivia-readonly");
        second.submit(Map.of("role", optionFor(second, "olivia-admin"), "duration", "900"));
        AccessToken admin = verify(tokens(second.code()).get("access_token").asText());
        assertThat(admin.getOtherClaims()).containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/olivia-admin");
        assertThat(admin.getRealmAccess().getRoles()).containsExactly("reports-writer");
    }

    @Test
    void thePickerRendersInTheRealmsLoginTheme() {
        org.keycloak.representations.idm.RealmRepresentation acme = realm.admin().toRepresentation();
        String before = acme.getLoginTheme();
        acme.setLoginTheme("keycloak");
        realm.admin().update(acme);
        try {
            Browser browser = signIn("alice");
            // Keycloak's older login theme, not the default keycloak.v2: its stylesheet, our form inside its layout.
            assertThat(browser.body()).contains("/login/keycloak/css/login.css").doesNotContain("/login/keycloak.v2/");
            assertThat(offered(browser)).containsExactly("console-billing", "console-readonly");
            browser.submit(Map.of("role", optionFor(browser, "console-readonly"), "duration", "900"));
            assertThat(verify(tokens(browser.code()).get("access_token").asText()).getOtherClaims())
                    .containsEntry("assumed_role", "krn:keycloak:iam::acme:role/console/console-readonly");
        } finally {
            acme.setLoginTheme(before == null ? "" : before); // null would mean "unchanged"
            realm.admin().update(acme);
        }
    }

    @Test
    void clientsNotSetUpForRoleSignInAreUntouched() {
        // portal has no mapper: an ordinary login and an ordinary token with alice's own roles.
        Browser browser = new Browser(CALLBACK);
        ClientRepresentation portal = realm.admin().clients().findByClientId("portal").get(0);
        portal.setRedirectUris(List.of(CALLBACK));
        portal.setStandardFlowEnabled(true);
        realm.admin().clients().get(portal.getId()).update(portal);
        browser.open(authorize("portal", "")).submit(Map.of("username", "alice", "password", AcmeRealm.PASSWORD));
        Http.Reply tokens = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "authorization_code",
                "code", browser.code(), "redirect_uri", CALLBACK, "client_id", "portal", "client_secret", "portal-secret"));
        AccessToken token = verify(tokens.json().get("access_token").asText());
        assertThat(token.getOtherClaims()).doesNotContainKey("assumed_role");
        assertThat(token.getRealmAccess().getRoles()).contains("reports-reader");

        // A password grant to the console has no page to choose on: Keycloak refuses it, as for any required action.
        Http.Reply direct = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password",
                "client_id", "console", "client_secret", "console-secret", "username", "alice", "password", AcmeRealm.PASSWORD));
        assertThat(direct.status()).as(direct.toString()).isEqualTo(400);
        assertThat(direct.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void withoutTheRequiredActionTheClientGetsNoPermissionsAtAll() {
        // An administrator who adds the mapper but disables the required action: deny by default.
        RequiredActionProviderRepresentation action = realm.admin().flows().getRequiredAction("kcsts-choose-role");
        action.setEnabled(false);
        realm.admin().flows().updateRequiredAction("kcsts-choose-role", action);
        try {
            Http.Reply direct = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password",
                    "client_id", "console", "client_secret", "console-secret", "username", "alice", "password", AcmeRealm.PASSWORD));
            assertThat(direct.status()).as(direct.toString()).isEqualTo(200);
            AccessToken bare = verify(direct.json().get("access_token").asText());
            assertThat(bare.getRealmAccess()).isNull();
            assertThat(bare.getResourceAccess()).isEmpty();
            assertThat(bare.getOtherClaims()).containsEntry("assumed_role", "");
            JsonNode introspected = Http.form(base() + "/realms/acme/protocol/openid-connect/token/introspect",
                    Map.of("client_id", "console", "client_secret", "console-secret", "token", direct.json().get("access_token").asText())).json();
            // With no permissions it has no audience, so no client may introspect it (Keycloak 26.7's aud rule).
            assertThat(introspected.get("active").asBoolean()).as(introspected.toString()).isFalse();
            assertThat(introspected.has("realm_access")).as(introspected.toString()).isFalse();
        } finally {
            action.setEnabled(true);
            realm.admin().flows().updateRequiredAction("kcsts-choose-role", action);
        }
    }

    private AccessToken verify(String token) {
        try {
            return Sts.verify(base(), "acme", token);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
