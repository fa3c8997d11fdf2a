package io.github.keycloaksts.admin;

import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.function.Predicate;

/**
 * Which principal bindings an administrator may see (in {@code principalIds} and as "names nothing" warnings):
 * whether a user, client, group, identity provider or directory exists is what Keycloak's own API shows only to
 * admins who may view them, so ours does too. Principals of other realms are never shown: whether a user of another
 * realm exists is that realm's business. IAM roles and {@code root} need only {@code view-realm}, which every
 * reader of the IAM API has.
 */
final class PrincipalVisibility {

    private PrincipalVisibility() {
    }

    static Predicate<Krn> of(RealmModel realm, AdminPermissionEvaluator auth) {
        return krn -> krn.realm().equals(realm.getName()) && switch (krn.kind().orElseThrow()) {
            case USER, USER_FEDERATION -> auth.users().canView();
            case GROUP -> auth.groups().canView();
            case CLIENT -> auth.clients().canView();
            case IDENTITY_PROVIDER -> auth.realm().canViewIdentityProviders();
            case ROOT, ROLE, ASSUMED_ROLE -> true;
        };
    }

    /** For admin events sent by Keycloak's own changes (no administrator is asking): this realm's bindings. */
    static Predicate<Krn> ownRealm(RealmModel realm) {
        return krn -> krn.realm().equals(realm.getName());
    }
}
