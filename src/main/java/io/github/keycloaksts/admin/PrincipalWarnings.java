package io.github.keycloaksts.admin;

import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.PrincipalBindings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Warnings for the principals a save bound to nothing: such a principal matches no one until the role is saved
 * again after it was created. Only principals the administrator may see are reported ({@link PrincipalVisibility}),
 * and realms that do not exist (realm names are public: every realm answers at {@code /realms/<name>}).
 */
final class PrincipalWarnings {

    private PrincipalWarnings() {
    }

    /** @param visible the principals the administrator may learn about ({@link PrincipalVisibility}) */
    static List<Finding> of(KeycloakSession session, RealmModel realm, List<PrincipalBindings.Principal> unbound,
                            Predicate<Krn> visible) {
        List<Finding> warnings = new ArrayList<>();
        for (PrincipalBindings.Principal principal : unbound) {
            Krn krn = principal.krn();
            String what;
            if (session.realms().getRealmByName(krn.realm()) == null) {
                what = "realm '" + krn.realm() + "' does not exist on this server";
            } else if (!visible.test(krn)) {
                continue;
            } else {
                what = describe(krn) + " does not exist in realm " + krn.realm();
            }
            warnings.add(new Finding(Finding.Severity.WARNING, principal.pointer(), what
                    + ": this principal matches no one; save the role again after creating it"));
        }
        return warnings;
    }

    private static String describe(Krn krn) {
        String resource = krn.resource();
        return switch (krn.kind().orElseThrow()) {
            case ROOT -> "realm '" + krn.realm() + "'";
            case USER -> "user '" + resource.substring("user/".length()) + "'";
            case CLIENT -> "client '" + resource.substring("client/".length()) + "'";
            case GROUP -> "group '" + resource.substring("group".length()) + "'";
            case IDENTITY_PROVIDER -> "identity provider '" + resource.substring("identity-provider/".length()) + "'";
            case USER_FEDERATION -> "user federation provider '" + resource.substring("user-federation/".length()) + "'";
            case ROLE -> "IAM role '" + krn.rolePath() + krn.roleName() + "'";
            case ASSUMED_ROLE -> "IAM role '" + resource.split("/", 3)[1] + "' of this session KRN";
        };
    }
}
