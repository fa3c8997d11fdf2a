package io.github.keycloaksts.store;

import io.github.keycloaksts.role.PermissionNames;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Keycloak roles behind stored role ids, resolved once: the one place that turns an id into a realm role or a
 * client's role by name. Ids that no longer resolve are left out (the change listener removes them from the
 * store; this only guards the window). What a session carries, what its {@code aud} defaults to, and what the
 * admin API shows all come from here.
 */
public final class GrantedRoles {

    private final Map<String, RoleModel> byId;

    private GrantedRoles(Map<String, RoleModel> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    public static GrantedRoles of(RealmModel realm, Collection<String> roleIds) {
        Map<String, RoleModel> byId = new LinkedHashMap<>();
        for (String id : roleIds) {
            RoleModel role = realm.getRoleById(id);
            // A client role whose client is gone (a concurrent deletion) is unresolved, never read as a realm role
            // of the same name (security review F1).
            boolean dangling = role != null && role.isClientRole() && !(role.getContainer() instanceof ClientModel);
            if (role != null && !dangling) {
                byId.put(id, role);
            }
        }
        return new GrantedRoles(byId);
    }

    /** The ids that resolved. */
    public Set<String> ids() {
        return byId.keySet();
    }

    /** By name, as administrators write them and as tokens carry them. */
    public PermissionNames names() {
        SortedSet<String> realmRoles = new TreeSet<>();
        TreeMap<String, SortedSet<String>> clientRoles = new TreeMap<>();
        for (RoleModel role : byId.values()) {
            clientIdOf(role).ifPresentOrElse(
                    clientId -> clientRoles.computeIfAbsent(clientId, k -> new TreeSet<>()).add(role.getName()),
                    () -> realmRoles.add(role.getName()));
        }
        return new PermissionNames(realmRoles, clientRoles);
    }

    /**
     * The clients some of these roles belong to, in grant order: a role session's {@code aud}, so a resource server
     * sees itself in {@code aud} exactly when the session carries roles for it.
     */
    public Set<String> clients() {
        Set<String> clients = new LinkedHashSet<>();
        byId.values().forEach(role -> clientIdOf(role).ifPresent(clients::add));
        return clients;
    }

    /** Those also named by {@code policy}: an AWS session policy only ever narrows what the role grants. */
    public GrantedRoles within(PermissionNames policy) {
        Map<String, RoleModel> kept = new LinkedHashMap<>();
        byId.forEach((id, role) -> {
            boolean named = clientIdOf(role)
                    .map(clientId -> policy.clientRoles().getOrDefault(clientId, Collections.emptySortedSet()).contains(role.getName()))
                    .orElseGet(() -> policy.realmRoles().contains(role.getName()));
            if (named) {
                kept.put(id, role);
            }
        });
        return new GrantedRoles(kept);
    }

    private static java.util.Optional<String> clientIdOf(RoleModel role) {
        return role.isClientRole() && role.getContainer() instanceof ClientModel client
                ? java.util.Optional.of(client.getClientId()) : java.util.Optional.empty();
    }
}
