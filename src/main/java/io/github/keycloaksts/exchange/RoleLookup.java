package io.github.keycloaksts.exchange;

import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.RoleSnapshot;
import io.github.keycloaksts.store.RoleSnapshots;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Optional;

/**
 * The role a request names, by name or by KRN ({@code krn:keycloak:iam::<realm>:role/<path><name>}), among the
 * realm's roles in memory. A KRN of another realm, of another kind or with another path finds nothing, exactly as
 * an unknown name does: the caller learns nothing from the difference.
 */
final class RoleLookup {

    private RoleLookup() {
    }

    static Optional<RoleSnapshot> find(KeycloakSession session, RealmModel realm, String nameOrKrn) {
        if (nameOrKrn.startsWith("krn:")) {
            Optional<Krn> krn = Krn.parse(nameOrKrn);
            if (krn.isEmpty() || krn.get().kind().orElseThrow() != Krn.Kind.ROLE || !krn.get().realm().equals(realm.getName())) {
                return Optional.empty();
            }
            String path = krn.get().rolePath();
            return RoleSnapshots.find(session, realm.getId(), realm.getName(), krn.get().roleName())
                    .filter(r -> r.path().equals(path));
        }
        return RoleSnapshots.find(session, realm.getId(), realm.getName(), nameOrKrn);
    }

}
