package io.github.keycloaksts.store;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;

/**
 * Published by {@link IamRoleStore} inside the writing transaction whenever a role of the realm was created, changed
 * or deleted (not when the whole realm is deleted). Whoever keeps a copy of the realm's roles elsewhere (the realm
 * file's components, see the {@code realmfile} package) listens; the store does not know who. {@code roleId} names
 * the role when the write was of one role.
 */
public record IamRolesChangedEvent(KeycloakSession session, String realmId, String roleId) implements ProviderEvent {

    /** @return the one role written, or null when the write may have touched several (a bulk flush) */
    public String roleId() {
        return roleId;
    }
}
