package io.github.keycloaksts.store;

import io.github.keycloaksts.role.PermissionNames;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A client role whose client no longer resolves (Keycloak's RoleAdapter.getContainer returns
 * realm.getClientById(...), null once the client is gone) must never be carried, and above all never as a realm
 * role of the same name. Before GrantedRoles, the cast to ClientModel failed (500): the exchange failed closed.
 */
class GrantedRolesClassificationTest {

    @Test
    void aClientRoleWithoutItsClientIsNeverARealmRole() {
        RoleModel orphan = (RoleModel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{RoleModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isClientRole" -> true;
                    case "getContainer" -> null;
                    case "getName" -> "admin";
                    case "getId" -> "role-1";
                    default -> null;
                });
        RealmModel realm = (RealmModel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{RealmModel.class},
                (proxy, method, args) -> method.getName().equals("getRoleById") ? orphan : null);
        GrantedRoles granted = GrantedRoles.of(realm, List.of("role-1"));
        assertFalse(granted.names().realmRoles().contains("admin"), "carried as realm role: " + granted.names());
        PermissionNames policy = new PermissionNames(new TreeSet<>(Set.of("admin")), new TreeMap<>());
        assertFalse(granted.within(policy).names().realmRoles().contains("admin"),
                "a session policy naming the realm role 'admin' keeps the orphaned client role 'admin'");
    }
}
