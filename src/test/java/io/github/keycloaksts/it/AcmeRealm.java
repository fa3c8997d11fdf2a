package io.github.keycloaksts.it;

import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.GroupBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * The realm most integration tests use: a few realm and client roles for grants, admin events on, and users with
 * each level of admin permission the API distinguishes.
 */
public final class AcmeRealm implements RealmConfig {

    public static final String PASSWORD = "correct-horse-battery";

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        return realm.name("acme")
                .adminEventsEnabled(true)
                .adminEventsDetailsEnabled(true)
                .realmRoles("reports-reader", "reports-writer", "temp-role")
                .clients(ClientBuilder.create("billing-api").serviceAccountsEnabled(false).publicClient(false).secret("s3cret")
                                .attribute("standard.token.exchange.enabled", "true"),
                        ClientBuilder.create("doomed-app").publicClient(false).secret("s3cret"))
                .clientRoles("billing-api", "invoices:read", "invoices:write")
                .clientRoles("doomed-app", "doomed:read")
                .groups(GroupBuilder.create("engineering").realmRoles("reports-writer")
                        .subGroups(GroupBuilder.create("sre").path("/engineering/sre")))
                .clients(ClientBuilder.create("ci-pipeline").secret("ci-secret").serviceAccountsEnabled(true).publicClient(false),
                        ClientBuilder.create("portal").secret("portal-secret").publicClient(false).directAccessGrantsEnabled(true)
                                .attribute("standard.token.exchange.enabled", "true"))
                .users(ServerFixture.person("realm-admin", "Realm", "Admin", "realm-admin@acme.test")
                                .clientRoles("realm-management", "realm-admin"),
                        ServerFixture.person("viewer", "View", "Only", "viewer@acme.test")
                                .clientRoles("realm-management", "view-realm"),
                        ServerFixture.person("alice", "Alice", "Engineer", "alice@acme.test").groups("/engineering/sre")
                                .realmRoles("reports-reader").attribute("department", "platform"),
                        ServerFixture.person("carol", "Carol", "Contractor", "carol@acme.test"),
                        ServerFixture.person("nobody", "No", "Body", "nobody@acme.test"));
    }
}
