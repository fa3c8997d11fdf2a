package io.github.keycloaksts.store;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;

import java.util.Collection;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A role's audiences and scopes as their current names: stored by id (a client or client scope deleted and
 * re-created under the same name is another one), shown and minted by name. Ids that no longer resolve are left
 * out (the store also removes them when Keycloak deletes the client or scope, see {@link KeycloakChangeListener}).
 */
public final class RoleTargets {

    private RoleTargets() {
    }

    /** The client ids of the audience clients, sorted. */
    public static SortedSet<String> audiences(RealmModel realm, Collection<String> clientIds) {
        SortedSet<String> names = new TreeSet<>();
        clientIds.stream().map(realm::getClientById).filter(Objects::nonNull).map(ClientModel::getClientId).forEach(names::add);
        return names;
    }

    /** The names of the client scopes, sorted. */
    public static SortedSet<String> scopes(RealmModel realm, Collection<String> scopeIds) {
        SortedSet<String> names = new TreeSet<>();
        scopeIds.stream().map(realm::getClientScopeById).filter(Objects::nonNull).map(ClientScopeModel::getName).forEach(names::add);
        return names;
    }
}
