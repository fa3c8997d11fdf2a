package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
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
}
