package io.github.keycloaksts.admin;

import io.github.keycloaksts.store.GrantsRemovedEvent;
import io.github.keycloaksts.store.IamRoleStore;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

import java.util.List;
import java.util.Map;

/**
 * Each IAM role whose grants the store changed because a Keycloak role was deleted gets an {@code UPDATE} admin
 * event saying why. The events are sent just before commit, and not at all when the realm itself is being deleted
 * (Keycloak deletes a realm's roles one by one before the realm, which would otherwise report every role of the
 * realm as changed a moment before it is gone).
 */
final class GrantRemovalAudit implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(GrantRemovalAudit.class);

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof GrantsRemovedEvent removed) {
            auditBeforeCommit(removed.session(), removed.realm(), removed.roleNames(), removed.reason());
        }
    }

    private static void auditBeforeCommit(KeycloakSession session, RealmModel realm, List<String> roleNames, String reason) {
        CascadeAudit.prepareListeners(session, realm);
        IamRoleStore store = new IamRoleStore(session);
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                // A role gone by now went with its realm: nothing to report.
                for (String name : roleNames) {
                    store.findByName(realm.getId(), name).ifPresent(role -> {
                        LOG.infof("IAM role %s of realm %s: %s", name, realm.getName(), reason);
                        CascadeAudit.send(session, realm, OperationType.UPDATE, "iam/roles/" + name,
                                RoleRepresentation.of(session, realm, role, PrincipalVisibility.ownRealm(realm)),
                                Map.of("reason", reason));
                    });
                }
            }

            @Override
            protected void rollbackImpl() {
                // nothing was sent
            }
        });
    }
}
