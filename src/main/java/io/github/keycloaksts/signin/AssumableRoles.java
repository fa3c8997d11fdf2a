package io.github.keycloaksts.signin;

import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.CompiledTrustPolicies;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;
import io.github.keycloaksts.store.PrincipalBindings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The roles a user signing in may assume for the application: every role of the realm (under the client's path
 * prefix, when its mapper sets one) whose trust policy allows {@code sts:AssumeRole} for the login's facts. The same
 * facts model, compiled policies, principal-id bindings and evaluation as AssumeRole, so the list never offers a
 * role an exchange would refuse.
 */
final class AssumableRoles {

    /** A login never evaluates more roles than this (a realm can hold far more; use a path prefix). */
    static final int MAX_EVALUATED = 2000;

    record Candidate(IamRoleEntity role, String krn, Decision decision) {
    }

    private AssumableRoles() {
    }

    static List<Candidate> of(KeycloakSession session, RealmModel realm, String pathPrefix, CallerFacts facts) {
        List<Candidate> allowed = new ArrayList<>();
        for (IamRoleEntity role : new IamRoleStore(session).search(realm.getId(), null, pathPrefix, 0, MAX_EVALUATED)) {
            Decision decision = CompiledTrustPolicies.of(role, realm.getName())
                    .evaluate(facts.request(PrincipalBindings.of(session, role)).action("sts:AssumeRole").build());
            if (decision.allowed()) {
                allowed.add(new Candidate(role, RoleKrn.of(realm.getName(), role.getPath(), role.getName()), decision));
            }
        }
        return allowed;
    }
}
