package io.github.keycloaksts.signin;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.CompiledTrustPolicies;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The roles a user signing in may assume for the application: every role of the realm (under the client's path
 * prefix, when its mapper sets one) whose trust policy allows {@code sts:AssumeRole} for the login's facts. The same
 * compiled policies and the same evaluation as AssumeRole, so the list never offers a role an exchange would refuse.
 */
final class AssumableRoles {

    /** A login never evaluates more roles than this (a realm can hold far more; use a path prefix). */
    static final int MAX_EVALUATED = 2000;

    record Candidate(IamRoleEntity role, String krn, Decision decision) {
    }

    private AssumableRoles() {
    }

    static List<Candidate> of(IamRoleStore store, String realmId, String realmName, String pathPrefix, AccessRequest facts) {
        List<Candidate> allowed = new ArrayList<>();
        for (IamRoleEntity role : store.search(realmId, null, pathPrefix, 0, MAX_EVALUATED)) {
            evaluate(role, realmName, facts).ifPresent(allowed::add);
        }
        return allowed;
    }

    static Optional<Candidate> evaluate(IamRoleEntity role, String realmName, AccessRequest facts) {
        Decision decision = CompiledTrustPolicies.of(role, realmName).evaluate(facts);
        return decision.allowed()
                ? Optional.of(new Candidate(role, RoleKrn.of(realmName, role.getPath(), role.getName()), decision))
                : Optional.empty();
    }
}
