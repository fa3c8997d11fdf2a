package io.github.keycloaksts.admin;

import io.github.keycloaksts.policy.PolicyEnvironment;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.stream.Collectors;

/** The policy compiler's view of a realm: its name and the aliases of its identity providers. */
final class RealmPolicyEnvironment {

    private RealmPolicyEnvironment() {
    }

    static PolicyEnvironment of(KeycloakSession session, RealmModel realm) {
        return new PolicyEnvironment(realm.getName(), session.identityProviders().getAllStream()
                .map(IdentityProviderModel::getAlias).collect(Collectors.toSet()));
    }
}
