package io.github.keycloaksts.store;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

import java.util.List;

/**
 * Published by {@link KeycloakChangeListener} when a Keycloak role was deleted and removed from the grants of IAM
 * roles, inside the deleting transaction: the store keeps its invariant, whoever listens reports it.
 *
 * @param roleNames the IAM roles whose grants changed
 * @param reason    what happened, in words, for the audit trail
 */
public record GrantsRemovedEvent(KeycloakSession session, RealmModel realm, List<String> roleNames, String reason)
        implements ProviderEvent {

    public GrantsRemovedEvent {
        roleNames = List.copyOf(roleNames);
    }
}
