package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, defect 3: an administrator may grant through an IAM role only what Keycloak lets it map to a user
 * ({@code RolePermissionEvaluator.canMapRole}, the check of the stock role-mapping API), for every granted role
 * and every role in its effective composites. Otherwise {@code manage-realm} alone would be a way to any role.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleGrantPermissionIT extends ServerFixture {

    private static final String REALM = "grants";

    @InjectRealm(ref = "grants", config = GrantsRealm.class)
    ManagedRealm realm;

    /**
     * {@code realm-manager} has {@code manage-realm} and what it needs to read (not {@code manage-users}: it cannot
     * map roles); {@code user-manager} can map ordinary roles ({@code manage-users}) but no admin role it lacks;
     * {@code full-admin} has {@code realm-admin} of this realm.
     */
    public static final class GrantsRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.name(REALM)
                    .realmRoles("bundle", "plain")
                    .clients(ClientBuilder.create("api").publicClient(false).secret("s3cret"))
                    .clientRoles("api", "write", "read")
                    .users(admin("realm-manager", "manage-realm", "view-realm", "view-users", "view-clients"),
                            admin("user-manager", "manage-realm", "view-realm", "manage-users", "view-clients"),
                            admin("full-admin", "realm-admin"),
                            ServerFixture.person("target", "Tar", "Get", "target@grants.test"));
        }

        private static UserBuilder admin(String username, String... realmManagementRoles) {
            return ServerFixture.person(username, username, "Admin", username + "@grants.test")
                    .clientRoles("realm-management", realmManagementRoles);
        }
    }

    private IamApi as(String username) {
        return iamAs(REALM, username);
    }

    private IamApi masterAdmin() {
        return iam(REALM);
    }

    private static String role(String name, String trustedUser, String permissions) {
        return "{\"name\": \"" + name + "\", \"trustPolicy\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\":"
                + " \"Allow\", \"Principal\": {\"Keycloak\": \"krn:keycloak:iam::" + REALM + ":user/" + trustedUser
                + "\"}, \"Action\": \"sts:AssumeRole\"}]}, \"permissions\": " + permissions + "}";
    }

    private static final String WRITE_AND_REALM_ADMIN =
            "{\"clientRoles\": {\"api\": [\"write\"], \"realm-management\": [\"realm-admin\"]}}";

    /** "bundle" is an ordinary realm role whose composites hold realm-admin: the way around a per-role check. */
    @BeforeEach
    void bundleHoldsRealmAdmin() {
        var realmManagement = realm.admin().clients().findByClientId("realm-management").get(0);
        RoleRepresentation realmAdmin = realm.admin().clients().get(realmManagement.getId()).roles().get("realm-admin")
                .toRepresentation();
        var bundle = realm.admin().roles().get("bundle");
        if (bundle.getRoleComposites().isEmpty()) {
            bundle.addComposites(List.of(realmAdmin));
        }
    }

    private List<String> refusedRoles(Http.Reply reply) {
        List<String> names = new ArrayList<>();
        reply.json().get("roles").forEach(r -> names.add(r.get("role").asText()));
        return names;
    }

    @Test
    void keycloakItselfRefusesTheManageRealmAdminTheMappingOfApiWrite() {
        String targetId = realm.admin().users().search("target").get(0).getId();
        String apiId = realm.admin().clients().findByClientId("api").get(0).getId();
        RoleRepresentation write = realm.admin().clients().get(apiId).roles().get("write").toRepresentation();
        String body = "[{\"id\": \"" + write.getId() + "\", \"name\": \"write\"}]";

        Http.Reply reply = Http.send("POST", base() + "/admin/realms/" + REALM + "/users/" + targetId
                        + "/role-mappings/clients/" + apiId, Http.userToken(base(), REALM, "realm-manager",
                        AcmeRealm.PASSWORD), "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
    }

    @Test
    void manageRealmAloneCannotCreateARoleGrantingWhatItCannotMap() {
        Http.Reply reply = as("realm-manager").post("/roles", role("self-grant", "realm-manager", WRITE_AND_REALM_ADMIN));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        JsonNode body = reply.json();
        assertThat(body.get("error").asText()).isEqualTo("forbidden");
        assertThat(body.get("role").asText()).isEqualTo("api:write");
        assertThat(body.get("field").asText()).isEqualTo("permissions.clientRoles.api");
        assertThat(body.get("errorMessage").asText()).contains("api:write");
        assertThat(refusedRoles(reply)).containsExactly("api:write", "realm-management:realm-admin");
        assertThat(masterAdmin().get("/roles/self-grant").status()).isEqualTo(404);
    }

    @Test
    void manageRealmAloneCannotTrustItselfOnAnExistingPowerfulRole() {
        masterAdmin().ensureRole(role("writer", "target", "{\"clientRoles\": {\"api\": [\"write\"]}}"));

        Http.Reply reply = as("realm-manager").put("/roles/writer", role("writer", "realm-manager",
                "{\"clientRoles\": {\"api\": [\"write\"]}}"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.json().get("role").asText()).isEqualTo("api:write");
        assertThat(masterAdmin().get("/roles/writer").json().at("/trustPolicy/Statement/0/Principal/Keycloak").asText())
                .endsWith(":user/target");
    }

    /**
     * A role that grants nothing but whose sessions a powerful role trusts is as powerful as that role: retargeting its
     * trust hands out the powerful role's grants by chaining (outsider review of issue 14). The change takes the right
     * to map them, by PUT and by import.
     */
    @Test
    void aRoleThatGrantsNothingIsGuardedByTheGrantsReachableByChainingFromIt() {
        masterAdmin().ensureRole(role("jump", "target", "{\"realmRoles\": []}"));
        masterAdmin().ensureRole("{\"name\": \"behind-jump\", \"trustPolicy\": {\"Version\": \"2012-10-17\", \"Statement\":"
                + " [{\"Effect\": \"Allow\", \"Principal\": {\"Keycloak\": \"krn:keycloak:iam::" + REALM + ":role/jump\"},"
                + " \"Action\": \"sts:AssumeRole\"}]}, \"permissions\": " + WRITE_AND_REALM_ADMIN + "}");

        Http.Reply put = as("realm-manager").put("/roles/jump", role("jump", "realm-manager", "{\"realmRoles\": []}"));
        assertThat(put.status()).as(put.toString()).isEqualTo(403);
        assertThat(refusedRoles(put)).containsExactly("api:write", "realm-management:realm-admin");
        Http.Reply imported = as("realm-manager").post("/import", "{\"roles\": [" + role("jump", "realm-manager",
                "{\"realmRoles\": []}") + "]}");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(403);
        assertThat(masterAdmin().get("/roles/jump").json().at("/trustPolicy/Statement/0/Principal/Keycloak").asText())
                .endsWith(":user/target");
        // An administrator who may map what lies behind may change it.
        assertThat(as("full-admin").put("/roles/jump", role("jump", "full-admin", "{\"realmRoles\": []}")).status()).isEqualTo(200);
    }

    /** A role that admits "*" only under a condition on the session KRN is reachable through any role: counted too. */
    @Test
    void aRoleTrustingEveryoneUnderAConditionIsReachableFromEveryRole() {
        masterAdmin().ensureRole(role("hop", "target", "{\"realmRoles\": []}"));
        masterAdmin().ensureRole("{\"name\": \"behind-hop\", \"trustPolicy\": {\"Version\": \"2012-10-17\", \"Statement\":"
                + " [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\":"
                + " {\"ArnLike\": {\"kc:PrincipalKrn\": \"krn:keycloak:sts::" + REALM + ":assumed-role/hop/*\"}}}]},"
                + " \"permissions\": {\"clientRoles\": {\"api\": [\"write\"]}}}");
        try {
            Http.Reply put = as("realm-manager").put("/roles/hop", role("hop", "realm-manager", "{\"realmRoles\": []}"));
            assertThat(put.status()).as(put.toString()).isEqualTo(403);
            assertThat(refusedRoles(put)).containsExactly("api:write");
            // A new role's sessions are among "*" too: creating one is guarded the same way.
            Http.Reply created = as("realm-manager").post("/roles", role("hop-too", "realm-manager", "{\"realmRoles\": []}"));
            assertThat(created.status()).as(created.toString()).isEqualTo(403);
            assertThat(refusedRoles(created)).containsExactly("api:write");
        } finally {
            masterAdmin().delete("/roles/behind-hop");
        }
    }

    @Test
    void importIsRefusedWholeWhenOneRoleGrantsWhatTheAdminCannotMap() {
        String document = "{\"roles\": [" + role("harmless-import", "realm-manager", "{}") + ", "
                + role("writer-import", "realm-manager", "{\"clientRoles\": {\"api\": [\"write\"]}}") + "]}";

        Http.Reply reply = as("realm-manager").post("/import", document);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.json().get("role").asText()).isEqualTo("api:write");
        assertThat(reply.json().get("field").asText()).isEqualTo("roles[1].permissions.clientRoles.api");
        assertThat(masterAdmin().get("/roles/harmless-import").status()).isEqualTo(404);
        assertThat(masterAdmin().get("/roles/writer-import").status()).isEqualTo(404);
    }

    @Test
    void aCompositeIsCheckedRoleByRole() {
        // Keycloak's own mapping API lets a manage-users admin map "bundle" (it checks the role, not its
        // composites); an IAM role granting it would hand out realm-admin, which that admin cannot map.
        Http.Reply reply = as("user-manager").post("/roles", role("bundled", "user-manager",
                "{\"realmRoles\": [\"bundle\"]}"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.json().get("role").asText()).isEqualTo("realm-management:realm-admin");
        assertThat(reply.json().get("field").asText()).isEqualTo("permissions.realmRoles");
        assertThat(reply.json().get("errorMessage").asText()).contains("bundle");
        assertThat(masterAdmin().get("/roles/bundled").status()).isEqualTo(404);
    }

    @Test
    void adminsWhoMayMapTheRolesStillCreateAndChange() {
        IamApi userManager = as("user-manager");
        Http.Reply created = userManager.post("/roles", role("mapped-by-user-manager", "target",
                "{\"realmRoles\": [\"plain\"], \"clientRoles\": {\"api\": [\"write\"]}}"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        IamApi fullAdmin = as("full-admin");
        Http.Reply changed = fullAdmin.put("/roles/mapped-by-user-manager", role("mapped-by-user-manager", "full-admin",
                "{\"clientRoles\": {\"api\": [\"write\", \"read\"], \"realm-management\": [\"view-users\"]}}"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

        // An administrator may map an admin role it holds itself (Keycloak's rule), realm-admin included.
        Http.Reply byRealmAdmin = fullAdmin.post("/roles", role("realm-admin-by-realm-admin", "full-admin",
                WRITE_AND_REALM_ADMIN));
        assertThat(byRealmAdmin.status()).as(byRealmAdmin.toString()).isEqualTo(201);
        Http.Reply byMasterAdmin = masterAdmin().post("/roles", role("realm-admin-by-master", "full-admin",
                WRITE_AND_REALM_ADMIN));
        assertThat(byMasterAdmin.status()).as(byMasterAdmin.toString()).isEqualTo(201);
        // ... and the user manager, who does not hold realm-admin, may not even change a role that grants it.
        Http.Reply byUserManager = userManager.put("/roles/realm-admin-by-master", role("realm-admin-by-master",
                "user-manager", "{\"clientRoles\": {\"api\": [\"write\"]}}"));
        assertThat(byUserManager.status()).as(byUserManager.toString()).isEqualTo(403);
        assertThat(refusedRoles(byUserManager)).containsExactly("realm-management:realm-admin");
        for (String name : new String[] {"realm-admin-by-master", "realm-admin-by-realm-admin", "mapped-by-user-manager"}) {
            assertThat(fullAdmin.delete("/roles/" + name).status()).isEqualTo(204);
        }
    }

    @Test
    void dryRunImportIsCheckedToo() {
        Http.Reply reply = as("realm-manager").post("/import?dryRun=true",
                "{\"roles\": [" + role("dry-writer", "realm-manager", "{\"clientRoles\": {\"api\": [\"write\"]}}") + "]}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
    }
    @Test
    void syncIsCheckedLikeImportAndARefusedSyncDeletesNothing() {
        masterAdmin().ensureRole(role("sync-survivor", "target", "{}"));
        // realm-manager may delete roles (manage-realm, as DELETE /roles/{name}) but may not grant api:write: the
        // sync is refused whole, its dry run too, and the role it would have deleted stays.
        String document = "{\"roles\": [" + role("sync-writer", "realm-manager", "{\"clientRoles\": {\"api\": [\"write\"]}}") + "]}";
        for (String query : new String[]{"?mode=sync", "?mode=sync&dryRun=true"}) {
            Http.Reply reply = as("realm-manager").post("/import" + query, document);
            assertThat(reply.status()).as(query + " " + reply).isEqualTo(403);
            assertThat(refusedRoles(reply)).contains("api:write");
        }
        assertThat(masterAdmin().get("/roles/sync-survivor").status()).isEqualTo(200);
        assertThat(masterAdmin().get("/roles/sync-writer").status()).isEqualTo(404);
    }
}
