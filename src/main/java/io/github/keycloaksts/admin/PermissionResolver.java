package io.github.keycloaksts.admin;

import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.InvalidRoleException;
import io.github.keycloaksts.role.PermissionNames;
import io.github.keycloaksts.store.GrantedRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * Translates a role's permissions between the names administrators write and the Keycloak role ids we store.
 * Ids survive a rename of the Keycloak role; names are what every representation shows.
 */
final class PermissionResolver {

    private PermissionResolver() {
    }

    /** Client internal ids of the audiences (client ids); @throws InvalidRoleException naming each unknown client */
    static Set<String> audienceIds(RealmModel realm, Collection<String> clientIds) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String clientId : clientIds) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client == null) {
                errors.add(new FieldError("audiences", "unknown client '" + clientId + "'"));
            } else {
                ids.add(client.getId());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors);
        }
        return ids;
    }

    /** Ids of the client scopes of these names; @throws InvalidRoleException naming each unknown one */
    static Set<String> scopeIds(RealmModel realm, Collection<String> names) {
        Map<String, String> byName = new java.util.HashMap<>();
        realm.getClientScopesStream().forEach(scope -> byName.put(scope.getName(), scope.getId()));
        List<FieldError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String name : names) {
            String id = byName.get(name);
            if (id == null) {
                errors.add(new FieldError("scopes", "unknown client scope '" + name + "'"));
            } else {
                ids.add(id);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors);
        }
        return ids;
    }

    /** @throws InvalidRoleException naming every realm role, client or client role that does not exist */
    static Set<String> toRoleIds(RealmModel realm, PermissionNames names) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String roleName : names.realmRoles()) {
            RoleModel role = realm.getRole(roleName);
            if (role == null) {
                errors.add(new FieldError("permissions.realmRoles", "unknown realm role '" + roleName + "'"));
            } else {
                ids.add(role.getId());
            }
        }
        for (Map.Entry<String, SortedSet<String>> entry : names.clientRoles().entrySet()) {
            String field = "permissions.clientRoles." + entry.getKey();
            ClientModel client = realm.getClientByClientId(entry.getKey());
            if (client == null) {
                errors.add(new FieldError(field, "unknown client '" + entry.getKey() + "'"));
                continue;
            }
            for (String roleName : entry.getValue()) {
                RoleModel role = client.getRole(roleName);
                if (role == null) {
                    errors.add(new FieldError(field, "unknown role '" + roleName + "' of client '" + entry.getKey() + "'"));
                } else {
                    ids.add(role.getId());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors);
        }
        return ids;
    }

    /** Ids that no longer resolve are skipped: the change listener removes them, this only guards the window. */
    static PermissionNames toNames(RealmModel realm, Collection<String> roleIds) {
        return GrantedRoles.of(realm, roleIds).names();
    }
}
