package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.server.KeycloakUrls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IAM roles travel inside Keycloak's own realm file, as one component per role: every write of a role keeps its
 * component in step, a realm created from a file (here {@code POST /admin/realms} with the console's partial export;
 * {@link RealmFileCliIT} does {@code kc.sh export/import} and {@code --import-realm}) gets the file's roles exactly, a
 * file with an invalid role creates nothing and names the role and the field, and the components cannot be edited
 * around the IAM API.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RealmFileIT {

    static final String TYPE = "io.github.keycloaksts.realmfile.IamRoleComponent";

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    private String token() {
        return admin.tokenManager().getAccessTokenString();
    }

    private Http.Reply admin(String method, String path, String json) {
        return Http.send(method, urls.getBase() + "/admin/realms" + path, token(), json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private IamApi iam(String realm) {
        return new IamApi(urls.getBase(), realm, this::token);
    }

    private void createRealm(String name) {
        admin("DELETE", "/" + name, null);
        Http.Reply created = admin("POST", "", """
                {"realm": "%s", "enabled": true,
                 "roles": {"realm": [{"name": "auditor"}, {"name": "deployer"}],
                           "client": {"reports": [{"name": "read"}]}},
                 "clients": [{"clientId": "reports", "publicClient": false, "secret": "s3cret"}],
                 "groups": [{"name": "ops"}],
                 "users": [{"username": "alice", "enabled": true}]}""".formatted(name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    /** The carriers as a realm file has them (the admin API's components endpoint does not show internal ones). */
    private List<JsonNode> carriers(String realm) {
        Http.Reply reply = admin("POST", "/" + realm + "/partial-export", null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        JsonNode components = reply.json().path("components").path(TYPE);
        components.forEach(list::add);
        return list;
    }

    private static String role(String name, String realm, String extra) {
        return """
                {"name": "%s", "path": "/teams/", "description": "for %s", "maxSessionDuration": 7200,
                 "tags": {"team": "platform"},
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"Keycloak": ["krn:keycloak:iam::%s:user/alice", "krn:keycloak:iam::%s:group/ops"]}}]},
                 "permissions": {"realmRoles": ["auditor"], "clientRoles": {"reports": ["read"]}}%s}"""
                .formatted(name, name, realm, realm, extra);
    }

    /** The export with every field (timestamps, revocation, bindings); lastUsed is per node and not carried. */
    private JsonNode fullExport(String realm) {
        Http.Reply export = iam(realm).get("/export?volatile=true");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        ObjectNode document = (ObjectNode) export.json();
        document.withArray("roles").forEach(role -> ((ObjectNode) role).remove("lastUsed"));
        return document;
    }

    @Test
    void aRealmCreatedFromItsExportHasExactlyItsRoles() {
        createRealm("rf-source");
        IamApi iam = iam("rf-source");
        assertThat(iam.post("/roles", role("builder", "rf-source", "")).status()).isEqualTo(201);
        assertThat(iam.post("/roles", role("reader", "rf-source", ", \"maxChainedSessionDuration\": 900")).status())
                .isEqualTo(201);
        assertThat(iam.post("/roles/builder/revoke-sessions", "").status()).isEqualTo(200);
        JsonNode before = fullExport("rf-source");
        assertThat(before.get("roles")).hasSize(2);
        assertThat(carriers("rf-source")).extracting(c -> c.get("name").asText()).containsExactlyInAnyOrder("builder", "reader");

        // The console's Realm settings > Action > Partial export, then the realm deleted and created from that file.
        Http.Reply exported = admin("POST", "/rf-source/partial-export?exportClients=true&exportGroupsAndRoles=true", null);
        assertThat(exported.status()).as(exported.toString()).isEqualTo(200);
        JsonNode file = exported.json();
        assertThat(file.get("components").get(TYPE)).hasSize(2);
        assertThat(admin("DELETE", "/rf-source", null).status()).isEqualTo(204);
        assertThat(iam.get("/roles/builder").status()).isEqualTo(404);

        // The file holds no principal bindings: a partial export needs only view-realm, and the ids would say which
        // users (or objects of other realms) a KRN names.
        String aliceId = before.get("roles").get(0).get("principalIds").get("krn:keycloak:iam::rf-source:user/alice").asText();
        for (JsonNode carrier : file.get("components").get(TYPE)) {
            assertThat(carrier.get("config").get("role").get(0).asText()).doesNotContain("principalIds", aliceId);
        }

        Http.Reply recreated = admin("POST", "", file.toString());
        assertThat(recreated.status()).as(recreated.toString()).isEqualTo(201);
        JsonNode after = fullExport("rf-source");
        assertThat(withoutBindings(after)).isEqualTo(withoutBindings(before));
        assertThat(after.get("roles").get(0).get("sessionsRevokedAt").isTextual()).isTrue();
        // Bound again by name: the group (in the file, with its id) to the same id; alice (a partial export has no
        // users) to nothing, so she matches no one until a user of that name exists.
        String ops = "krn:keycloak:iam::rf-source:group/ops";
        assertThat(after.get("roles").get(0).get("principalIds").get(ops).asText())
                .isEqualTo(before.get("roles").get(0).get("principalIds").get(ops).asText());
        assertThat(after.get("roles").get(0).get("principalIds").has("krn:keycloak:iam::rf-source:user/alice")).isFalse();
    }

    @Test
    void aRenameReachesTheFileAndARestoreBindsOnlyTheObjectsTheRoleWasBoundTo() throws Exception {
        createRealm("rf-rename");
        assertThat(admin("PUT", "/rf-rename", "{\"editUsernameAllowed\": true}").status()).isEqualTo(204);
        assertThat(iam("rf-rename").post("/roles", role("renamed", "rf-rename", "")).status()).isEqualTo(201);
        // The granted realm role is renamed and another takes its old name: the file names the granted one's new name.
        String auditor = admin("GET", "/rf-rename/roles/auditor", null).json().get("id").asText();
        assertThat(admin("PUT", "/rf-rename/roles-by-id/" + auditor, "{\"name\": \"auditor-renamed\"}").status()).isEqualTo(204);
        assertThat(admin("POST", "/rf-rename/roles", "{\"name\": \"auditor\"}").status()).isEqualTo(201);
        assertThat(carried("rf-rename", "renamed").get("permissions").get("realmRoles").toString())
                .isEqualTo("[\"auditor-renamed\"]");
        // The trusted user is renamed and someone else takes the name.
        String alice = admin("GET", "/rf-rename/users?exact=true&username=alice", null).json().get(0).get("id").asText();
        assertThat(admin("PUT", "/rf-rename/users/" + alice, "{\"username\": \"alice-old\"}").status()).isEqualTo(204);
        assertThat(admin("POST", "/rf-rename/users", "{\"username\": \"alice\", \"enabled\": true}").status()).isEqualTo(201);
        String impostor = admin("GET", "/rf-rename/users?exact=true&username=alice", null).json().get(0).get("id").asText();
        assertThat(iam("rf-rename").get("/roles/renamed").json().get("principalIds").get("krn:keycloak:iam::rf-rename:user/alice")
                .asText()).as("live: the binding is by id, the impostor is not trusted").isEqualTo(alice);

        ObjectNode file = (ObjectNode) admin("POST", "/rf-rename/partial-export?exportClients=true&exportGroupsAndRoles=true",
                null).json();
        file.putArray("users").add(Http.JSON.readTree("{\"id\": \"" + alice + "\", \"username\": \"alice-old\", \"enabled\": true}"))
                .add(Http.JSON.readTree("{\"id\": \"" + impostor + "\", \"username\": \"alice\", \"enabled\": true}"));
        assertThat(file.get("components").get(TYPE).get(0).get("config").get("role").get(0).asText())
                .contains("principalDigests").doesNotContain(alice).doesNotContain(impostor);
        assertThat(admin("DELETE", "/rf-rename", null).status()).isEqualTo(204);
        Http.Reply recreated = admin("POST", "", file.toString());
        assertThat(recreated.status()).as(recreated.toString()).isEqualTo(201);

        JsonNode restored = iam("rf-rename").get("/roles/renamed").json();
        assertThat(restored.get("permissions").get("realmRoles").toString()).isEqualTo("[\"auditor-renamed\"]");
        assertThat(restored.get("principalIds").has("krn:keycloak:iam::rf-rename:user/alice"))
                .as("restored: the impostor who took alice's name is not trusted either").isFalse();
        assertThat(restored.get("principalIds").has("krn:keycloak:iam::rf-rename:group/ops"))
                .as("the group, restored with its id, is bound again").isTrue();
    }

    private static JsonNode withoutBindings(JsonNode export) {
        JsonNode copy = export.deepCopy();
        copy.withArray("roles").forEach(role -> ((ObjectNode) role).remove("principalIds"));
        return copy;
    }

    @Test
    void aFileWithAnInvalidRoleCreatesNothingAndNamesTheRoleAndField() {
        createRealm("rf-bad-source");
        assertThat(iam("rf-bad-source").post("/roles", role("granter", "rf-bad-source", "")).status()).isEqualTo(201);
        ObjectNode file = (ObjectNode) admin("POST", "/rf-bad-source/partial-export?exportClients=true&exportGroupsAndRoles=true",
                null).json();
        admin("DELETE", "/rf-bad-source", null);
        file.put("realm", "rf-bad");
        file.remove("id");
        // Keycloak keeps the ids of a file; a copy under another name needs new ones (as for any realm file).
        stripIds(file);
        ObjectNode carrier = (ObjectNode) file.get("components").get(TYPE).get(0);
        String document = carrier.get("config").get("role").get(0).asText();
        ((ArrayNode) carrier.get("config").get("role")).set(0, document.replace("\"auditor\"", "\"no-such-role\""));

        Http.Reply refused = admin("POST", "", file.toString());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("errorMessage").asText())
                .contains("IAM role 'granter'", "permissions.realmRoles", "unknown realm role 'no-such-role'");
        assertThat(admin("GET", "/rf-bad", null).status()).as("nothing of the file was created").isEqualTo(404);

        ((ArrayNode) carrier.get("config").get("role")).set(0, "{not json");
        Http.Reply malformed = admin("POST", "", file.toString());
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
        assertThat(malformed.json().get("errorMessage").asText()).contains("IAM role 'granter'", "config.role: is not JSON");
        assertThat(admin("GET", "/rf-bad", null).status()).isEqualTo(404);
    }

    private static void stripIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("id");
            object.remove("containerId");
            object.forEach(RealmFileIT::stripIds);
        } else if (node instanceof ArrayNode array) {
            array.forEach(RealmFileIT::stripIds);
        }
    }

    @Test
    void theComponentsEndpointNeitherShowsNorChangesCarriers() {
        createRealm("rf-guarded");
        assertThat(iam("rf-guarded").post("/roles", role("guarded", "rf-guarded", "")).status()).isEqualTo(201);
        JsonNode carrier = carriers("rf-guarded").get(0);
        String id = carrier.get("id").asText();
        String realmId = admin("GET", "/rf-guarded", null).json().get("id").asText();

        Http.Reply listed = admin("GET", "/rf-guarded/components?type=" + TYPE, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json()).isEmpty();
        assertThat(admin("GET", "/rf-guarded/components", null).body()).doesNotContain(id);
        assertThat(admin("GET", "/rf-guarded/components/" + id, null).status()).as("hidden like a component that does not exist").isEqualTo(404);

        Http.Reply created = admin("POST", "/rf-guarded/components", """
                {"name": "sneaky", "providerId": "iam-role", "providerType": "%s", "parentId": "%s",
                 "config": {"role": ["{}"]}}""".formatted(TYPE, realmId));
        assertThat(created.status()).as(created.toString()).isEqualTo(403);
        ObjectNode changed = (ObjectNode) carrier.deepCopy();
        changed.remove("subComponents");
        changed.put("providerType", TYPE).put("parentId", realmId);
        ((ArrayNode) changed.get("config").get("role")).set(0, carrier.get("config").get("role").get(0).asText()
                .replace("\"auditor\"", "\"deployer\""));
        Http.Reply updated = admin("PUT", "/rf-guarded/components/" + id, changed.toString());
        assertThat(updated.status()).as(updated.toString()).isEqualTo(403);
        Http.Reply deleted = admin("DELETE", "/rf-guarded/components/" + id, null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(403);

        assertThat(carriers("rf-guarded")).hasSize(1);
        assertThat(carriers("rf-guarded").get(0).get("config").get("role").get(0).asText()).contains("\"auditor\"")
                .doesNotContain("deployer");
        assertThat(iam("rf-guarded").get("/roles/guarded").json().get("permissions").get("realmRoles").get(0).asText())
                .isEqualTo("auditor");
    }

    @Test
    void carriersFollowEveryWriteOfARole() throws Exception {
        createRealm("rf-follow");
        IamApi iam = iam("rf-follow");
        assertThat(iam.post("/roles", role("follower", "rf-follow", "")).status()).isEqualTo(201);
        assertThat(iam.post("/roles", role("doomed", "rf-follow", "")).status()).isEqualTo(201);
        assertThat(carriers("rf-follow")).hasSize(2);

        assertThat(iam.put("/roles/follower", role("follower", "rf-follow", "").replace("for follower", "changed"))
                .status()).isEqualTo(200);
        assertThat(carried("rf-follow", "follower").get("description").asText()).isEqualTo("changed");

        // A Keycloak role deleted leaves every grant (KeycloakChangeListener) and the carriers with it.
        String auditor = admin("GET", "/rf-follow/roles/auditor", null).json().get("id").asText();
        assertThat(admin("DELETE", "/rf-follow/roles-by-id/" + auditor, null).status()).isEqualTo(204);
        assertThat(carried("rf-follow", "follower").get("permissions").get("realmRoles")).isEmpty();

        assertThat(iam.delete("/roles/doomed").status()).isEqualTo(204);
        assertThat(carriers("rf-follow")).extracting(c -> c.get("name").asText()).containsExactly("follower");

        // A sync import that names no role deletes them all, carriers included.
        assertThat(iam.post("/import?mode=sync", "{\"roles\": []}").status()).isEqualTo(200);
        assertThat(carriers("rf-follow")).isEmpty();
    }

    private JsonNode carried(String realm, String name) throws Exception {
        JsonNode carrier = carriers(realm).stream().filter(c -> c.get("name").asText().equals(name)).findFirst().orElseThrow();
        return Http.JSON.readTree(carrier.get("config").get("role").get(0).asText());
    }
}
