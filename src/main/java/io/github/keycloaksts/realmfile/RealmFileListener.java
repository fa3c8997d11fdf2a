package io.github.keycloaksts.realmfile;

import io.github.keycloaksts.store.IamRolesChangedEvent;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Keeps each realm's carrier components in step with its IAM roles:
 * <ul>
 *   <li>a role written: the realm's carriers are brought in line before the transaction commits;</li>
 *   <li>a realm created (from a realm file, by {@code kc.sh import}, {@code --import-realm} or
 *       {@code POST /admin/realms}): its carriers become roles, in the same transaction, or the creation fails;</li>
 *   <li>start-up, after Keycloak's own migration: every realm's carriers are brought in line once, for roles written
 *       by a version of this extension that had no carriers.</li>
 * </ul>
 */
final class RealmFileListener implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(RealmFileListener.class);

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof IamRolesChangedEvent changed) {
            if (changed.roleId() != null) {
                RoleCarriers.syncRoleNow(changed.session(), changed.realmId(), changed.roleId());
            } else {
                RoleCarriers.syncBeforeCommit(changed.session(), changed.realmId());
            }
        } else if (event instanceof RoleModel.RoleNameChangeEvent renamed) {
            // Carriers name granted roles and audience clients by name; stored by id, the role now shows the new
            // name, and its carrier must too, or a restore would grant whatever then bears the old name.
            RoleCarriers.syncBeforeCommit(renamed.getKeycloakSession(), renamed.getRealm().getId());
        } else if (event instanceof ClientModel.ClientIdChangeEvent renamed) {
            RoleCarriers.syncBeforeCommit(renamed.getKeycloakSession(), renamed.getUpdatedClient().getRealm().getId());
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            RoleCarriers.restore(created.getKeycloakSession(), created.getCreatedRealm());
        } else if (event instanceof PostMigrationEvent migrated) {
            try {
                KeycloakModelUtils.runJobInTransaction(migrated.getFactory(), RoleCarriers::syncAll);
            } catch (RuntimeException e) {
                // Two nodes starting together may both write the same carrier; the one that lost has nothing to do.
                // Any other failure must not stop the server: the next write of a role rewrites its realm's carriers.
                LOG.warnf("Could not bring the realm files' copies of IAM roles in line at start-up (%s); the next"
                        + " change of a role in a realm rewrites that realm's copy", e.toString());
            }
        }
    }
}
