package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.server.KeycloakUrls;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keycloak's own realm documents (realm creation, partial import) never silently drop IAM roles: a document that
 * carries them is refused naming the field and saying where IAM roles are imported, and nothing of it is written;
 * documents without them are Keycloak's business as before.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RealmDocumentIT {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    private static final String IAM_ROLES = """
            [{"name": "doc-role", "trustPolicy": {"Version": "2012-10-17", "Statement": []}}]""";

    private Http.Reply post(String path, String json) {
        return Http.send("POST", urls.getBase() + "/admin/realms" + path, admin.tokenManager().getAccessTokenString(),
                "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private Http.Reply get(String path) {
        return Http.send("GET", urls.getBase() + "/admin/realms" + path, admin.tokenManager().getAccessTokenString(), null, null);
    }

    private static void assertRefusedNaming(Http.Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        JsonNode body = reply.json();
        assertThat(body.get("field").asText()).isEqualTo(field);
        assertThat(body.get("errors").get(0).get("field").asText()).isEqualTo(field);
        assertThat(body.get("errorMessage").asText()).contains("IAM roles", "/iam/import", "/iam/export");
    }

    @Test
    void realmCreationRefusesIamRolesAndCreatesNothing() {
        Http.Reply refused = post("", """
                {"realm": "doc-with-roles", "enabled": true, "iamRoles": %s}""".formatted(IAM_ROLES));
        assertRefusedNaming(refused, "iamRoles");
        assertThat(refused.json().get("errorMessage").asText()).contains("/admin/realms/doc-with-roles/iam/import");
        assertThat(get("/doc-with-roles").status()).isEqualTo(404);

        // Any letter case: Keycloak would fail on it with "unable to read contents from stream" at best.
        assertRefusedNaming(post("", """
                {"realm": "doc-with-roles", "IAMRoles": []}"""), "IAMRoles");
        // Only the top level counts: a nested key of that name is Keycloak's to judge.
        Http.Reply nested = post("", """
                {"realm": "doc-nested", "enabled": true, "attributes": {"iamRoles": "not ours"}}""");
        assertThat(nested.status()).as(nested.toString()).isEqualTo(201);
        admin.realm("doc-nested").remove();
    }

    @Test
    void realmCreationWithoutIamRolesIsUnchanged() {
        Http.Reply created = post("", """
                {"realm": "doc-plain", "enabled": true, "roles": {"realm": [{"name": "plain-role"}]}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(get("/doc-plain/roles/plain-role").status()).isEqualTo(200);
        admin.realm("doc-plain").remove();
    }

    @Test
    void partialImportRefusesIamRolesAndImportsNothing() {
        Http.Reply refused = post("/" + realm.getName() + "/partialImport", """
                {"ifResourceExists": "SKIP", "roles": {"realm": [{"name": "pi-refused"}]}, "iamRoles": %s}""".formatted(IAM_ROLES));
        assertRefusedNaming(refused, "iamRoles");
        assertThat(refused.json().get("errorMessage").asText())
                .contains("nothing was imported", "/admin/realms/" + realm.getName() + "/iam/import");
        assertThat(get("/" + realm.getName() + "/roles/pi-refused").status()).isEqualTo(404);
        assertThat(new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString())
                .get("/roles/doc-role").status()).isEqualTo(404);
    }

    @Test
    void partialImportWithoutIamRolesIsUnchanged() {
        Http.Reply imported = post("/" + realm.getName() + "/partialImport", """
                {"ifResourceExists": "SKIP", "roles": {"realm": [{"name": "pi-plain"}]}}""");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("added").asInt()).isEqualTo(1);
        assertThat(get("/" + realm.getName() + "/roles/pi-plain").status()).isEqualTo(200);
    }
}
