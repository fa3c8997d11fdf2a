package io.github.keycloaksts.it;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-browser tests (Debian's Chromium driven by playwright-core; scripts in {@code src/test/browser}): the
 * admin console with the keycloak-sts theme, and a federated user choosing a role at sign-in. Each script asserts
 * what it sees and exits non-zero on the first failure; the screenshots it takes are the README's.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class BrowserIT extends AcmeFixture {

    /** Nothing listens there: the script answers it. (Chromium refuses "unsafe" ports such as 1 before any routing.) */
    private static final String CALLBACK = "http://127.0.0.1:65500/callback";

    @InjectRealm(ref = "corp", config = CorpRealm.class)
    ManagedRealm corp;

    @Test
    void aFederatedUserChoosesARoleAtSignIn() throws Exception {
        RolePickerIT.setUpRoleSignIn(realm, CALLBACK);
        CorpRealm.brokerAsOidc(realm, corp, base(), "department");
        String financeThroughCorp = """
                {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"},
                 "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"corp:department": "finance", "kc:ClientId": "console"}}}""";
        createRole("finance-analyst", "Reads invoices for month-end reporting", financeThroughCorp,
                "{\"clientRoles\": {\"billing-api\": [\"invoices:read\"]}}");
        createRole("finance-approver", "Approves and writes invoices", financeThroughCorp,
                "{\"clientRoles\": {\"billing-api\": [\"invoices:read\", \"invoices:write\"]}}");
        createRole("platform-operator", "Not for finance: needs the platform department", """
                {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"},
                 "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"corp:department": "platform"}}}""",
                "{\"realmRoles\": [\"reports-writer\"]}");

        BrowserScripts.Run run = BrowserScripts.run("picker.mjs", Map.ofEntries(
                Map.entry("KC_URL", base()),
                Map.entry("KC_REALM", "acme"),
                Map.entry("CLIENT_ID", "console"),
                Map.entry("CLIENT_SECRET", "console-secret"),
                Map.entry("REDIRECT_URI", CALLBACK),
                Map.entry("IDP", "corp"),
                Map.entry("USERNAME", "wendy"),
                Map.entry("PASSWORD", AcmeRealm.PASSWORD),
                Map.entry("EXPECT_ROLES", "finance-analyst,finance-approver"),
                Map.entry("PICK", "finance-analyst"),
                Map.entry("PICK_DURATION", "1800"),
                Map.entry("EXPECT_GRANTS", "{\"billing-api\":{\"roles\":[\"invoices:read\"]}}")));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(new java.io.File(BrowserScripts.SCREENSHOTS, "sign-in-role-picker.png")).exists();
    }

    @Test
    void theAdminConsoleKeepsWorkingAndManagesIamRoles() throws Exception {
        // Selecting the theme is one setting: the master realm's admin theme.
        RealmRepresentation master = admin.realm("master").toRepresentation();
        master.setAdminTheme("keycloak-sts");
        admin.realm("master").update(master);
        // The Sessions tab lists a role's sessions from the saved TOKEN_EXCHANGE events: the realm saves user events.
        RealmEventsConfigRepresentation events = realm.admin().getRealmEventsConfig();
        boolean eventsWereEnabled = Boolean.TRUE.equals(events.isEventsEnabled());
        events.setEventsEnabled(true);
        realm.admin().updateRealmEventsConfig(events);
        BrowserScripts.Run run;
        try {
            run = BrowserScripts.run("console.mjs", Map.of("KC_URL", base(), "KC_REALM", "acme",
                    "KC_ADMIN_USER", "admin", "KC_ADMIN_PASSWORD", "admin"));
        } finally {
            events = realm.admin().getRealmEventsConfig();
            events.setEventsEnabled(eventsWereEnabled);
            realm.admin().updateRealmEventsConfig(events);
        }
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(new java.io.File(BrowserScripts.SCREENSHOTS, "iam-roles-list.png")).exists();
    }

    private void createRole(String name, String description, String statement, String permissions) {
        Http.Reply created = api().post("/roles", """
                {"name": "%s", "path": "/console/", "description": "%s", "maxSessionDuration": 7200,
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [%s]}, "permissions": %s}"""
                .formatted(name, description, statement, permissions));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
}
