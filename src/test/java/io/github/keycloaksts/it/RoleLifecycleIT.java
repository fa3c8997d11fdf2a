package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IAM roles stay consistent with Keycloak: deleting a realm deletes its IAM roles; deleting a granted realm role,
 * client role or client removes it from every grant, and the admin event log says so.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleLifecycleIT extends AcmeFixture {

    @Test
    void deletingARealmRoleRemovesItFromGrantsAndRecordsAnAdminEvent() {
        realm.admin().roles().create(new RoleRepresentation("short-role", null, false));
        realm.admin().roles().create(new RoleRepresentation("kept-role", null, false));
        Http.Reply created = api().post("/roles", """
                {"name": "grants-short", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": ["short-role", "kept-role"]}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        realm.admin().roles().deleteRole("short-role");

        JsonNode role = api().get("/roles/grants-short").json();
        assertThat(role.get("permissions").get("realmRoles")).extracting(JsonNode::asText).containsExactly("kept-role");
        // A new role of the same name is a different role: the grant must not come back.
        realm.admin().roles().create(new RoleRepresentation("short-role", null, false));
        assertThat(api().get("/roles/grants-short").json().get("permissions").get("realmRoles"))
                .extracting(JsonNode::asText).containsExactly("kept-role");

        List<org.keycloak.representations.idm.AdminEventRepresentation> events = realm.admin()
                .getAdminEvents(null, null, null, null, null, "iam/roles/grants-short", null, (String) null, (String) null, 0, 100, null);
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getResourceType()).isEqualTo("IAM_ROLE");
            assertThat(event.getOperationType()).isEqualTo("UPDATE");
            assertThat(event.getDetails()).containsEntry("reason",
                    "realm role short-role was deleted and removed from the permissions");
            assertThat(event.getRepresentation()).doesNotContain("short-role\"]").contains("kept-role");
        });
    }

    @Test
    void deletingAClientRemovesItsRolesFromGrants() {
        Http.Reply created = api().post("/roles", """
                {"name": "grants-doomed", "trustPolicy": {"Statement": []},
                 "permissions": {"realmRoles": ["reports-reader"], "clientRoles": {"doomed-app": ["doomed:read"], "billing-api": ["invoices:read"]}}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ClientRepresentation doomed = realm.admin().clients().findByClientId("doomed-app").get(0);

        realm.admin().clients().get(doomed.getId()).remove();

        JsonNode permissions = api().get("/roles/grants-doomed").json().get("permissions");
        assertThat(permissions.get("clientRoles").has("doomed-app")).isFalse();
        assertThat(permissions.get("clientRoles").get("billing-api")).extracting(JsonNode::asText).containsExactly("invoices:read");
        assertThat(permissions.get("realmRoles")).extracting(JsonNode::asText).containsExactly("reports-reader");
        assertThat(realm.admin().getAdminEvents(null, null, null, null, null, "iam/roles/grants-doomed", null, (String) null,
                (String) null, 0, 100, null)).anySatisfy(event -> assertThat(event.getDetails())
                .containsEntry("reason", "client role doomed-app/doomed:read was deleted and removed from the permissions"));
    }

    @Test
    void renamingAGrantedRoleKeepsTheGrantUnderItsNewName() {
        realm.admin().roles().create(new RoleRepresentation("old-name", null, false));
        api().post("/roles", """
                {"name": "grants-renamed", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": ["old-name"]}}""");

        RoleRepresentation renamed = realm.admin().roles().get("old-name").toRepresentation();
        renamed.setName("new-name");
        realm.admin().roles().get("old-name").update(renamed);

        assertThat(api().get("/roles/grants-renamed").json().get("permissions").get("realmRoles"))
                .extracting(JsonNode::asText).containsExactly("new-name");
    }

    @Test
    void deletingARealmDeletesItsIamRoles() {
        RealmRepresentation doomed = new RealmRepresentation();
        doomed.setId("doomed-realm-fixed-id");
        doomed.setRealm("doomed-realm");
        doomed.setEnabled(true);
        admin.realms().create(doomed);
        admin.realm("doomed-realm").roles().create(new RoleRepresentation("granted", null, false));
        Http.Reply created = iam("doomed-realm").post("/roles", """
                {"name": "orphan-candidate", "trustPolicy": {"Statement": []}, "tags": {"a": "b"}, "permissions": {"realmRoles": ["granted"]}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        admin.realm("doomed-realm").remove();
        // Same realm id again: had the rows survived, they would belong to this realm and show up.
        admin.realms().create(doomed);
        try {
            Http.Reply list = iam("doomed-realm").get("/roles");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.json().size()).isZero();
            assertThat(iam("doomed-realm").post("/roles", "{\"name\": \"orphan-candidate\", \"trustPolicy\": {\"Statement\": []}}").status())
                    .isEqualTo(201);
        } finally {
            admin.realm("doomed-realm").remove();
        }
    }
}
