package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles kept in version control: export them all, import them back idempotently, preview with a dry run. */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleImportExportIT extends AcmeFixture {

    private static final String DOCUMENT = """
            {"realm": "staging", "roles": [
              {"name": "imp-reader", "path": "/imp/", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": ["reports-reader"]}},
              {"name": "imp-writer", "path": "/imp/", "tags": {"env": "prod"}, "trustPolicy": {"Statement": []},
               "permissions": {"clientRoles": {"billing-api": ["invoices:write"]}}}
            ]}""";

    @Test
    void dryRunReportsWithoutWritingThenImportIsIdempotent() {
        Http.Reply preview = api().post("/import?dryRun=true", DOCUMENT);
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("dryRun").asBoolean()).isTrue();
        assertThat(preview.json().get("created")).extracting(JsonNode::asText).containsExactly("imp-reader", "imp-writer");
        assertThat(api().get("/roles/imp-reader").status()).isEqualTo(404);

        Http.Reply first = api().post("/import", DOCUMENT);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("created")).extracting(JsonNode::asText).containsExactly("imp-reader", "imp-writer");
        assertThat(api().get("/roles/imp-writer").json().get("tags").get("env").asText()).isEqualTo("prod");

        Http.Reply second = api().post("/import?dryRun=false", DOCUMENT);
        assertThat(second.json().get("created").size()).isZero();
        assertThat(second.json().get("updated").size()).isZero();
        assertThat(second.json().get("unchanged")).extracting(JsonNode::asText).containsExactly("imp-reader", "imp-writer");
    }

    @Test
    void exportedDocumentImportsBackUnchangedAndEditsAreUpdates() {
        api().post("/roles", """
                {"name": "exp-a", "trustPolicy": {"Version": "2012-10-17", "Statement": []}, "permissions": {"realmRoles": ["reports-writer"]}}""");
        Http.Reply export = api().get("/export");
        assertThat(export.status()).isEqualTo(200);
        JsonNode document = export.json();
        assertThat(document.get("realm").asText()).isEqualTo("acme");
        assertThat(document.get("roles")).extracting(r -> r.get("name").asText()).contains("exp-a");

        Http.Reply reimport = api().post("/import", document.toString());
        assertThat(reimport.status()).as(reimport.toString()).isEqualTo(200);
        assertThat(reimport.json().get("unchanged")).extracting(JsonNode::asText).contains("exp-a");
        assertThat(reimport.json().get("updated").size()).isZero();

        for (JsonNode role : document.get("roles")) {
            if (role.get("name").asText().equals("exp-a")) {
                ((ObjectNode) role).put("description", "edited in git");
            }
        }
        Http.Reply edited = api().post("/import", document.toString());
        assertThat(edited.json().get("updated")).extracting(JsonNode::asText).containsExactly("exp-a");
        assertThat(api().get("/roles/exp-a").json().get("description").asText()).isEqualTo("edited in git");
    }

    @Test
    void oneBadRoleRefusesTheWholeDocumentNamingIt() {
        Http.Reply reply = api().post("/import", """
                {"roles": [
                  {"name": "all-or-nothing", "trustPolicy": {"Statement": []}},
                  {"name": "bad one", "trustPolicy": {"Statement": []}},
                  {"name": "ALL-or-nothing", "trustPolicy": {"Statement": []}},
                  {"name": "ghost-grant", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": ["ghost"]}}
                ]}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("roles[1].name", "roles[2].name", "roles[3].permissions.realmRoles");
        assertThat(api().get("/roles/all-or-nothing").status()).isEqualTo(404);
    }

    @Test
    void malformedImportParametersAndDocumentsAre400() {
        assertThat(api().post("/import?dryRun=maybe", "{\"roles\": []}").json().get("field").asText()).isEqualTo("dryRun");
        // An empty or repeated dryRun is refused, never taken as a real import (a script's unset variable, say).
        for (String query : new String[]{"?dryRun=", "?dryRun=true&dryRun=false", "?dryRun=false&dryRun=true"}) {
            Http.Reply reply = api().post("/import" + query, "{\"roles\": []}");
            assertThat(reply.status()).as(query + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).isEqualTo("dryRun");
        }
        // A misspelt dryRun is not ignored (which would make it a real import).
        for (String misspelt : new String[]{"dryrun", "dry_run", "DryRun"}) {
            Http.Reply reply = api().post("/import?" + misspelt + "=true", "{\"roles\": []}");
            assertThat(reply.status()).as(misspelt + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).isEqualTo(misspelt);
        }
        assertThat(api().post("/import", "{\"roles\": {}}").json().get("field").asText()).isEqualTo("roles");
        assertThat(api().post("/import", "{\"roles\": [], \"extra\": 1}").json().get("field").asText()).isEqualTo("extra");
        Http.Reply array = api().post("/import", "[]");
        assertThat(array.status()).as(array.toString()).isEqualTo(400);
        assertThat(array.json().get("field").asText()).isEmpty();
    }
    private static String syncRole(String name, String description) {
        return """
                {"name": "%s", "path": "/sync/", "description": "%s", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["reports-reader"]}}""".formatted(name, description);
    }

    private static String document(String... roles) {
        return "{\"realm\": \"git\", \"roles\": [" + String.join(", ", roles) + "]}";
    }

    private List<String> names(Http.Reply reply, String field) {
        List<String> names = new ArrayList<>();
        reply.json().get(field).forEach(name -> names.add(name.asText()));
        return names;
    }

    @Test
    void syncMakesTheRealmsRolesExactlyTheDocumentsAndItsDryRunListsDeletions() {
        // Start from a known realm: whatever earlier tests left is deleted by this first sync.
        Http.Reply base = api().post("/import?mode=sync", document(syncRole("sync-keep", "v1"),
                syncRole("sync-gone-a", "v1"), syncRole("sync-gone-b", "v1")));
        assertThat(base.status()).as(base.toString()).isEqualTo(200);
        assertThat(base.json().get("mode").asText()).isEqualTo("sync");
        assertThat(api().get("/roles").json()).extracting(r -> r.get("name").asText())
                .containsExactly("sync-gone-a", "sync-gone-b", "sync-keep");

        String desired = document(syncRole("sync-keep", "v2"), syncRole("sync-new", "v1"));
        Http.Reply preview = api().post("/import?mode=sync&dryRun=true", desired);
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("dryRun").asBoolean()).isTrue();
        assertThat(names(preview, "created")).containsExactly("sync-new");
        assertThat(names(preview, "updated")).containsExactly("sync-keep");
        assertThat(names(preview, "unchanged")).isEmpty();
        assertThat(names(preview, "deleted")).containsExactly("sync-gone-a", "sync-gone-b");
        assertThat(api().get("/roles/sync-gone-a").status()).as("a dry run deletes nothing").isEqualTo(200);
        assertThat(api().get("/roles/sync-new").status()).isEqualTo(404);

        Http.Reply synced = api().post("/import?mode=sync", desired);
        assertThat(synced.status()).as(synced.toString()).isEqualTo(200);
        assertThat(synced.json().get("dryRun").asBoolean()).isFalse();
        assertThat(names(synced, "created")).containsExactly("sync-new");
        assertThat(names(synced, "updated")).containsExactly("sync-keep");
        assertThat(names(synced, "deleted")).containsExactly("sync-gone-a", "sync-gone-b");
        assertThat(api().get("/export").json().get("roles")).extracting(r -> r.get("name").asText())
                .containsExactly("sync-keep", "sync-new");
        assertThat(api().get("/roles/sync-keep").json().get("description").asText()).isEqualTo("v2");
        // The deletions are admin events like DELETE /roles/{name}, marked as coming from an import.
        assertThat(realm.admin().getAdminEvents(null, null, null, null, null, "iam/roles/sync-gone-a", null,
                (String) null, (String) null, 0, 100, null)).anySatisfy(event -> {
            assertThat(event.getOperationType()).isEqualTo("DELETE");
            assertThat(event.getResourcePath()).isEqualTo("iam/roles/sync-gone-a");
            assertThat(event.getDetails()).containsEntry("source", "import");
        });

        Http.Reply again = api().post("/import?mode=sync", desired);
        assertThat(names(again, "unchanged")).containsExactly("sync-keep", "sync-new");
        assertThat(names(again, "deleted")).isEmpty();

        // A merge (the default) never deletes: the report says so with an empty list.
        Http.Reply merge = api().post("/import", document(syncRole("sync-new", "v1")));
        assertThat(merge.json().get("mode").asText()).isEqualTo("merge");
        assertThat(names(merge, "deleted")).isEmpty();
        assertThat(api().get("/roles/sync-keep").status()).isEqualTo(200);
    }

    @Test
    void aSyncWithOneInvalidRoleChangesNothing() {
        api().post("/import?mode=sync", document(syncRole("sync-stays", "v1"), syncRole("sync-also-stays", "v1")));
        String before = api().get("/export?volatile=true").body();

        Http.Reply refused = api().post("/import?mode=sync", document(syncRole("sync-stays", "edited"),
                syncRole("sync-fresh", "v1"), syncRole("bad one", "v1")));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("roles[2].name");
        // An unknown grant is refused the same way, after every role was parsed.
        Http.Reply ghost = api().post("/import?mode=sync", document(syncRole("sync-stays", "edited").replace("reports-reader", "ghost")));
        assertThat(ghost.status()).as(ghost.toString()).isEqualTo(400);
        assertThat(ghost.json().get("field").asText()).isEqualTo("roles[0].permissions.realmRoles");

        assertThat(api().get("/export?volatile=true").body()).as("nothing deleted, created or updated").isEqualTo(before);
    }

    @Test
    void syncAndExportParametersAreCheckedLikeDryRun() {
        for (String query : new String[]{"?mode=Sync", "?mode=", "?mode=sync&mode=merge", "?mod=sync"}) {
            Http.Reply reply = api().post("/import" + query, "{\"roles\": []}");
            assertThat(reply.status()).as(query + " " + reply).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).isEqualTo(query.startsWith("?mod=") ? "mod" : "mode");
        }
        for (String query : new String[]{"?volatile=yes", "?volatile=true&volatile=true", "?Volatile=true"}) {
            Http.Reply reply = api().get("/export" + query);
            assertThat(reply.status()).as(query + " " + reply).isEqualTo(400);
        }
    }

    @Test
    void exportsOfAnUnchangedRealmAreByteIdenticalAndLeaveOutVolatileFields() throws Exception {
        api().ensureRole(syncRole("stable-used", "assumed between the exports"));
        api().ensureRole("""
                {"name": "Stable-b", "path": "/a-b/", "tags": {"z": "1", "a": "2"}, "trustPolicy": {"Statement": []}}""");
        api().ensureRole("""
                {"name": "stable-a", "path": "/a/", "trustPolicy": {"Statement": []}}""");
        String first = api().get("/export").body();

        // A use of a role changes its lastUsed (written within the 1 s flush interval of the tests).
        String alice = Http.userToken(base(), "acme", "alice", AcmeRealm.PASSWORD);
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "stable-used").status()).isEqualTo(200);
        JsonNode lastUsed = com.fasterxml.jackson.databind.node.NullNode.getInstance();
        for (int i = 0; i < 50 && lastUsed.isNull(); i++) {
            Thread.sleep(200);
            lastUsed = api().get("/roles/stable-used").json().get("lastUsed");
        }
        assertThat(lastUsed.isNull()).as("lastUsed written").isFalse();

        String second = api().get("/export").body();
        assertThat(second).isEqualTo(first);
        JsonNode roles = Http.JSON.readTree(second).get("roles");
        for (JsonNode role : roles) {
            assertThat(role.has("createdAt") || role.has("updatedAt") || role.has("lastUsed")).as(role.toString()).isFalse();
        }
        // Ordered by path, then name ignoring case, whatever the database's collation.
        List<String> order = new ArrayList<>();
        roles.forEach(role -> order.add(role.get("path").asText() + role.get("name").asText()));
        assertThat(order).containsSubsequence("/a-b/Stable-b", "/a/stable-a", "/sync/stable-used");

        // volatile=true keeps them, and the stable export imports back unchanged.
        JsonNode full = api().get("/export?volatile=true").json().get("roles");
        for (JsonNode role : full) {
            assertThat(role.has("createdAt") && role.has("updatedAt") && role.has("lastUsed")).as(role.toString()).isTrue();
            if (role.get("name").asText().equals("stable-used")) {
                assertThat(role.get("lastUsed").get("clientId").asText()).isEqualTo("admin-cli");
            }
        }
        Http.Reply reimport = api().post("/import", first);
        assertThat(reimport.status()).as(reimport.toString()).isEqualTo(200);
        assertThat(names(reimport, "updated")).isEmpty();
        assertThat(api().get("/export").body()).isEqualTo(first);
    }
}
