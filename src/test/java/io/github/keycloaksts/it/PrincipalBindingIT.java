package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.GroupBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, defect 2(b), the store half: saving a role binds every principal KRN of its trust policy to the
 * immutable id of what it names (AWS resolves principal ARNs to unique ids), returns the bindings read-only as
 * {@code principalIds}, re-binds on every save, and warns about principals that name nothing.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class PrincipalBindingIT extends ServerFixture {

    private static final String REALM = "bindings";
    private static final String KRN = "krn:keycloak:iam::" + REALM + ":";

    @InjectRealm(ref = "bindings", config = BindingsRealm.class)
    ManagedRealm realm;

    public static final class BindingsRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.name(REALM)
                    .clients(ClientBuilder.create("bound-app").publicClient(false).secret("s3cret"))
                    .groups(GroupBuilder.create("ops"))
                    .users(ServerFixture.person("policy-writer", "Policy", "Writer", "policy-writer@bindings.test")
                            .clientRoles("realm-management", "manage-realm", "view-realm"));
        }
    }

    private IamApi master() {
        return iam(REALM);
    }

    private static String role(String name, String... principals) {
        StringBuilder list = new StringBuilder();
        for (String principal : principals) {
            list.append(list.isEmpty() ? "" : ", ").append('"').append(KRN).append(principal).append('"');
        }
        return "{\"name\": \"" + name + "\", \"trustPolicy\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\":"
                + " \"Allow\", \"Principal\": {\"Keycloak\": [" + list + "]}, \"Action\": \"sts:AssumeRole\"}]}}";
    }

    private String createUser(String username) {
        realm.admin().users().create(UserBuilder.create(username).enabled(true).name(username, "User")
                .email(username + "@bindings.test").build()).close();
        return realm.admin().users().search(username, true).get(0).getId();
    }

    @Test
    void savingBindsEachPrincipalToTheIdOfWhatItNames() {
        String userId = createUser("binder-bob");
        String clientId = realm.admin().clients().findByClientId("bound-app").get(0).getId();
        String groupId = realm.admin().groups().groups().stream().filter(g -> g.getName().equals("ops")).findFirst()
                .orElseThrow().getId();
        String realmId = realm.admin().toRepresentation().getId();

        Http.Reply created = master().post("/roles", role("bound", "user/binder-bob", "client/bound-app", "group/ops",
                "root", "role/bound"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().has("findings")).as(created.toString()).isFalse();
        JsonNode ids = master().get("/roles/bound").json().get("principalIds");
        assertThat(ids.get(KRN + "user/binder-bob").asText()).isEqualTo(userId);
        assertThat(ids.get(KRN + "client/bound-app").asText()).isEqualTo(clientId);
        assertThat(ids.get(KRN + "group/ops").asText()).isEqualTo(groupId);
        assertThat(ids.get(KRN + "root").asText()).isEqualTo(realmId);
        assertThat(ids.get(KRN + "role/bound").asText()).isNotBlank();
        assertThat(master().get("/export").body()).contains("\"principalIds\"");
    }

    @Test
    void aReCreatedUserIsNotTheBoundOneUntilTheRoleIsSavedAgain() {
        String oldId = createUser("binder-carol");
        String document = role("carol-role", "user/binder-carol");
        assertThat(master().post("/roles", document).status()).isEqualTo(201);

        realm.admin().users().get(oldId).remove();
        String newId = createUser("binder-carol");
        assertThat(newId).isNotEqualTo(oldId);

        assertThat(master().get("/roles/carol-role").json().at("/principalIds").get(KRN + "user/binder-carol").asText())
                .isEqualTo(oldId);
        Http.Reply imported = master().post("/import?dryRun=true", "{\"roles\": [" + document + "]}");
        assertThat(imported.json().get("updated").toString()).as(imported.toString()).contains("carol-role");

        Http.Reply saved = master().put("/roles/carol-role", document);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().at("/principalIds").get(KRN + "user/binder-carol").asText()).isEqualTo(newId);
        Http.Reply again = master().post("/import", "{\"roles\": [" + document + "]}");
        assertThat(again.json().get("unchanged").toString()).as(again.toString()).contains("carol-role");
    }

    @Test
    void aPrincipalThatNamesNothingIsAWarningAndBoundToNothing() {
        Http.Reply created = master().post("/roles", role("ghostly", "root", "user/binder-ghost", "identity-provider/nope"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode findings = created.json().get("findings");
        assertThat(findings).as(created.toString()).hasSize(2);
        assertThat(findings.get(0).get("severity").asText()).isEqualTo("warning");
        assertThat(findings.get(0).get("path").asText()).isEqualTo("/Statement/0/Principal/Keycloak/1");
        assertThat(findings.get(0).get("message").asText()).isEqualTo("user 'binder-ghost' does not exist in realm "
                + REALM + ": this principal matches no one; save the role again after creating it");
        assertThat(findings.get(1).get("message").asText()).startsWith("identity provider 'nope' does not exist");
        JsonNode ids = master().get("/roles/ghostly").json().get("principalIds");
        assertThat(ids.has(KRN + "user/binder-ghost")).isFalse();
        assertThat(ids.has(KRN + "root")).isTrue();

        Http.Reply validated = master().post("/policies/validate",
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Keycloak\": \""
                        + KRN + "user/binder-ghost\"}, \"Action\": \"sts:AssumeRole\"}]}");
        assertThat(validated.json().get("valid").asBoolean()).isTrue();
        assertThat(validated.json().get("findings").toString()).as(validated.toString())
                .contains("user 'binder-ghost' does not exist in realm " + REALM);

        Http.Reply imported = master().post("/import?dryRun=true", "{\"roles\": [" + role("ghostly", "root",
                "user/binder-ghost", "identity-provider/nope") + "]}");
        assertThat(imported.json().at("/findings/0/path").asText()).as(imported.toString())
                .isEqualTo("/roles/0/trustPolicy/Statement/0/Principal/Keycloak/1");
    }

    @Test
    void usersAreShownOnlyToAdminsWhoMayViewUsers() {
        String userId = createUser("binder-dora");
        IamApi writer = iamAs(REALM, "policy-writer");

        Http.Reply created = writer.post("/roles", role("dora-role", "user/binder-dora", "user/binder-nobody", "root"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().has("findings")).as(created.toString()).isFalse();
        assertThat(created.json().get("principalIds").has(KRN + "user/binder-dora")).isFalse();
        assertThat(created.json().get("principalIds").has(KRN + "root")).isTrue();
        assertThat(master().get("/roles/dora-role").json().get("principalIds").get(KRN + "user/binder-dora").asText())
                .isEqualTo(userId);
    }

    @Test
    void principalIdsAreReadOnly() {
        createUser("binder-erin");
        String document = role("erin-role", "user/binder-erin");
        assertThat(master().post("/roles", document).status()).isEqualTo(201);
        String bound = master().get("/roles/erin-role").json().get("principalIds").toString();

        String forged = document.replaceFirst("\\}$", ", \"principalIds\": {\"" + KRN + "user/binder-erin\": \"forged\"}}");
        Http.Reply saved = master().put("/roles/erin-role", forged);

        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().get("principalIds").toString()).isEqualTo(bound);
    }
}
