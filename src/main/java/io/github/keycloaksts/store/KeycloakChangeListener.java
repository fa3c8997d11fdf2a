package io.github.keycloaksts.store;

import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleContainerModel;
import org.keycloak.models.RoleModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Keeps IAM roles consistent with Keycloak, since our tables have no foreign keys to Keycloak's (realm deletion
 * bulk-deletes, see DESIGN.md). A deleted realm takes its IAM roles with it. A deleted realm or client role, or a
 * deleted client (Keycloak deletes its roles one by one first), disappears from every grant that named it, and a
 * {@link GrantsRemovedEvent} names the IAM roles changed that way (the admin API turns it into admin events).
 * Runs in the deleting transaction, so both commit or neither does. Registered by the store's own factory
 * ({@link IamRoleJpaEntityProviderFactory}): the invariant holds whichever other providers are enabled.
 */
public final class KeycloakChangeListener implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(KeycloakChangeListener.class);

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof RealmModel.RealmRemovedEvent removed) {
            int count = store(removed.getKeycloakSession()).removeRealm(removed.getRealm().getId());
            LOG.debugf("Removed %d IAM role(s) of deleted realm %s", count, removed.getRealm().getName());
        } else if (event instanceof RoleContainerModel.RoleRemovedEvent removed) {
            removeFromGrants(removed.getKeycloakSession(), removed.getRole());
        } else if (event instanceof ClientModel.ClientRemovedEvent removed) {
            String id = removed.getClient().getId();
            removeTargets(removed.getKeycloakSession(), removed.getClient().getRealm(), "client " + removed.getClient().getClientId(),
                    role -> role.getAudienceIds().contains(id),
                    role -> role.setAudienceIds(without(role.getAudienceIds(), id)));
        } else if (event instanceof ClientScopeModel.ClientScopeRemovedEvent removed) {
            String id = removed.getClientScope().getId();
            removeTargets(removed.getKeycloakSession(), removed.getClientScope().getRealm(),
                    "client scope " + removed.getClientScope().getName(),
                    role -> role.getScopeIds().contains(id),
                    role -> role.setScopeIds(without(role.getScopeIds(), id)));
        }
    }

    /**
     * A deleted client leaves the audiences, a deleted client scope the scopes, of every IAM role of its realm (they
     * are stored by id, so a client re-created under the same client id is not an audience by itself).
     */
    private static void removeTargets(KeycloakSession session, RealmModel realm, String what,
                                      java.util.function.Predicate<IamRoleEntity> names,
                                      java.util.function.Consumer<IamRoleEntity> remove) {
        if (session.realms().getRealm(realm.getId()) == null) {
            return; // the realm itself is being deleted
        }
        IamRoleStore store = store(session);
        List<IamRoleEntity> naming = store.all(realm.getId()).stream().filter(names).toList();
        if (naming.isEmpty()) {
            return;
        }
        for (IamRoleEntity role : naming) {
            remove.accept(role);
            role.setUpdatedAt(Time.currentTimeMillis());
        }
        store.flush(realm.getId());
        session.getKeycloakSessionFactory().publish(new GrantsRemovedEvent(session, realm,
                naming.stream().map(IamRoleEntity::getName).toList(), what + " was deleted and removed from the "
                + (what.startsWith("client scope") ? "scopes" : "audiences")));
    }

    private static java.util.Set<String> without(java.util.Set<String> ids, String id) {
        java.util.Set<String> left = new java.util.HashSet<>(ids);
        left.remove(id);
        return left;
    }

    private static void removeFromGrants(KeycloakSession session, RoleModel removedRole) {
        IamRoleStore store = store(session);
        List<IamRoleEntity> granting = store.grantingKeycloakRole(removedRole.getId());
        if (granting.isEmpty()) {
            return;
        }
        RealmModel realm = removedRole.getContainer() instanceof ClientModel client
                ? client.getRealm() : (RealmModel) removedRole.getContainer();
        String removedName = removedRole.isClientRole()
                ? ((ClientModel) removedRole.getContainer()).getClientId() + "/" + removedRole.getName()
                : removedRole.getName();
        for (IamRoleEntity role : granting) {
            role.getGrantedRoleIds().remove(removedRole.getId());
            role.setUpdatedAt(Time.currentTimeMillis());
        }
        store.flush(realm.getId());
        String reason = (removedRole.isClientRole() ? "client role " : "realm role ") + removedName
                + " was deleted and removed from the permissions";
        List<String> roleNames = granting.stream().map(IamRoleEntity::getName).toList();
        session.getKeycloakSessionFactory().publish(new GrantsRemovedEvent(session, realm, roleNames, reason));
    }

    private static IamRoleStore store(KeycloakSession session) {
        return new IamRoleStore(session);
    }
}
