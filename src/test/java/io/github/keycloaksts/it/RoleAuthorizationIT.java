package io.github.keycloaksts.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading needs view-realm of the realm, changing needs manage-realm; others get 403, no token gets 401. */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleAuthorizationIT extends AcmeFixture {

    private static final String ROLE = "{\"name\": \"guarded\", \"trustPolicy\": {\"Statement\": []}}";

    @InjectRealm(ref = "other", config = OtherRealm.class)
    ManagedRealm other;

    /** A second realm whose administrator must not reach acme's roles. */
    public static final class OtherRealm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.name("other").users(ServerFixture.person("other-admin", "Other", "Admin", "other-admin@other.test")
                    .clientRoles("realm-management", "realm-admin"));
        }
    }

    private IamApi as(String username) {
        return iamAs(realm.getName(), username);
    }

    @BeforeEach
    void guardedRoleExists() {
        IamApi master = api();
        if (master.get("/roles/guarded").status() == 404) {
            assertThat(master.post("/roles", ROLE).status()).isEqualTo(201);
        }
    }

    @Test
    void noTokenIs401() {
        IamApi anonymous = new IamApi(base(), realm.getName(), () -> null);

        assertThat(anonymous.get("/roles").status()).isEqualTo(401);
        assertThat(anonymous.post("/roles", ROLE).status()).isEqualTo(401);
        assertThat(anonymous.get("/export").status()).isEqualTo(401);
    }

    @Test
    void forgedTokenIs401() {
        IamApi forged = new IamApi(base(), realm.getName(),
                () -> "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsImlzcyI6Imh0dHA6Ly9sb2NhbGhvc3Q6ODA4MC9yZWFsbXMvbWFzdGVyIn0.");

        assertThat(forged.get("/roles").status()).isEqualTo(401);
    }

    @Test
    void userWithoutAdminRolesIs403Everywhere() {
        IamApi nobody = as("nobody");

        for (Http.Reply reply : List.of(nobody.get("/roles"), nobody.get("/roles/guarded"), nobody.get("/export"),
                nobody.post("/roles", ROLE), nobody.put("/roles/guarded", ROLE), nobody.delete("/roles/guarded"),
                nobody.post("/import?dryRun=true", "{\"roles\": []}"))) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        }
    }

    @Test
    void viewRealmMayReadButNotChange() {
        IamApi viewer = as("viewer");

        assertThat(viewer.get("/roles").status()).isEqualTo(200);
        assertThat(viewer.get("/roles/guarded").status()).isEqualTo(200);
        assertThat(viewer.get("/export").status()).isEqualTo(200);
        assertThat(viewer.post("/roles", "{\"name\": \"viewer-made\", \"trustPolicy\": {\"Statement\": []}}").status()).isEqualTo(403);
        assertThat(viewer.put("/roles/guarded", ROLE).status()).isEqualTo(403);
        assertThat(viewer.delete("/roles/guarded").status()).isEqualTo(403);
        assertThat(viewer.post("/import", "{\"roles\": []}").status()).isEqualTo(403);
        assertThat(api().get("/roles/viewer-made").status()).isEqualTo(404);
    }

    @Test
    void realmAdminOfTheRealmMayChange() {
        IamApi realmAdmin = as("realm-admin");

        assertThat(realmAdmin.post("/roles", "{\"name\": \"by-realm-admin\", \"trustPolicy\": {\"Statement\": []}}").status()).isEqualTo(201);
        assertThat(realmAdmin.delete("/roles/by-realm-admin").status()).isEqualTo(204);
    }

    @Test
    void adminOfAnotherRealmIs403() {
        String token = Http.userToken(base(), other.getName(), "other-admin", AcmeRealm.PASSWORD);
        IamApi foreign = new IamApi(base(), realm.getName(), () -> token);

        assertThat(foreign.get("/roles").status()).isEqualTo(403);
        assertThat(foreign.post("/roles", "{\"name\": \"foreign\", \"trustPolicy\": {\"Statement\": []}}").status()).isEqualTo(403);
        assertThat(api().get("/roles/foreign").status()).isEqualTo(404);
    }
}
