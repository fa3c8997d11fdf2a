package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What administrators already use to move realms carries IAM roles: {@code kc.sh export} (single file and directory)
 * on a stopped server's database writes them with the realm, {@code kc.sh import --override true} replaces the
 * realm's roles with the file's (the role removed since comes back, the one added since goes), a file with an invalid
 * role fails the import and leaves the realm as it was, and {@code kc.sh start --import-realm} restores them on an
 * empty database; after each, the file's users assume the file's roles (bindings by id survive). The Operator's realm
 * import runs {@code kc.sh import}. Runs its own distribution ({@link OwnNode}), since the test framework's server
 * cannot be stopped within a test.
 */
class RealmFileCliIT {

    private static final String REALM = "moving";
    private static OwnNode node;

    @BeforeAll
    static void install() throws Exception {
        node = new OwnNode("realm-file-node");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.stop();
        }
    }

    private static IamApi iam() {
        return new IamApi(node.base(), REALM, node::adminToken);
    }

    private static JsonNode fullExport() {
        Http.Reply export = iam().get("/export?volatile=true");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        ObjectNode document = (ObjectNode) export.json();
        document.withArray("roles").forEach(role -> ((ObjectNode) role).remove("lastUsed"));
        return document;
    }

    private static void aliceAssumes(String role) {
        String alice = Http.userToken(node.base(), REALM, "alice", "alice");
        Http.Reply assumed = Sts.assumeRole(node.base(), REALM, "admin-cli", null, alice, role);
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);
    }

    private static JsonNode carriers(Path file) throws Exception {
        JsonNode realm = Http.JSON.readTree(file.toFile());
        return realm.path("components").path(RealmFileIT.TYPE);
    }

    @Test
    void exportImportAndStartUpImportCarryTheRolesExactly() throws Exception {
        node.start("1-created.log");
        Http.Reply realm = Http.send("POST", node.base() + "/admin/realms", node.adminToken(), "application/json", """
                {"realm": "moving", "enabled": true, "roles": {"realm": [{"name": "auditor"}]},
                 "users": [{"username": "alice", "enabled": true, "email": "alice@moving.test", "emailVerified": true,
                            "firstName": "Alice", "lastName": "Mover",
                            "credentials": [{"type": "password", "value": "alice", "temporary": false}]}]}"""
                .getBytes(StandardCharsets.UTF_8));
        assertThat(realm.status()).as(realm.toString()).isEqualTo(201);
        String policy = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                  "Principal": {"Keycloak": "krn:keycloak:iam::moving:user/alice"}}]}""";
        assertThat(iam().post("/roles", """
                {"name": "mover", "path": "/ops/", "maxSessionDuration": 5400, "tags": {"cost-center": "42"},
                 "trustPolicy": %s, "permissions": {"realmRoles": ["auditor"]}}""".formatted(policy)).status()).isEqualTo(201);
        assertThat(iam().post("/roles", """
                {"name": "revoked", "trustPolicy": %s}""".formatted(policy)).status()).isEqualTo(201);
        assertThat(iam().post("/roles/revoked/revoke-sessions", "").status()).isEqualTo(200);
        JsonNode before = fullExport();
        aliceAssumes("mover");
        node.stop();

        Path file = node.dir().resolve("moving.json");
        OwnNode.Run exported = node.kc("2-export-file.log", "export", "--realm", REALM, "--file", file.toString());
        assertThat(exported.exitCode()).as(exported.output()).isZero();
        assertThat(carriers(file)).extracting(c -> c.get("name").asText()).containsExactlyInAnyOrder("mover", "revoked");
        Path dir = node.dir().resolve("moving-dir");
        OwnNode.Run exportedDir = node.kc("3-export-dir.log", "export", "--realm", REALM, "--dir", dir.toString());
        assertThat(exportedDir.exitCode()).as(exportedDir.output()).isZero();
        assertThat(carriers(dir.resolve("moving-realm.json"))).hasSize(2);

        // Changed since the export: one role deleted, one added.
        node.start("4-changed.log");
        assertThat(iam().delete("/roles/mover").status()).isEqualTo(204);
        assertThat(iam().post("/roles", "{\"name\": \"stray\", \"trustPolicy\": " + policy + "}").status()).isEqualTo(201);
        node.stop();

        // A file whose role grants a realm role that does not exist: the import fails, the realm stays as it was.
        ObjectNode bad = (ObjectNode) Http.JSON.readTree(file.toFile());
        for (JsonNode carrier : bad.path("components").path(RealmFileIT.TYPE)) {
            ArrayNode value = (ArrayNode) carrier.get("config").get("role");
            value.set(0, value.get(0).asText().replace("\"auditor\"", "\"gone\""));
        }
        Path badFile = node.dir().resolve("moving-bad.json");
        Files.writeString(badFile, bad.toString());
        OwnNode.Run refused = node.kc("5-import-bad.log", "import", "--file", badFile.toString(), "--override", "true");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("IAM role 'mover'", "permissions.realmRoles", "unknown realm role 'gone'");

        OwnNode.Run imported = node.kc("6-import.log", "import", "--file", file.toString(), "--override", "true");
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        node.start("7-imported.log");
        assertThat(fullExport()).as("the realm's roles are exactly the file's").isEqualTo(before);
        aliceAssumes("mover");
        node.stop();

        // A new, empty database and the file in data/import: the start-up import restores the roles as well.
        OwnNode.deleteTree(node.home().resolve("data"));
        Files.createDirectories(node.home().resolve("data/import"));
        Files.copy(file, node.home().resolve("data/import/moving.json"));
        node.start("8-import-realm.log", "--import-realm");
        assertThat(fullExport()).isEqualTo(before);
        aliceAssumes("mover");
    }
}
