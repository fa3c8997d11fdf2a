package io.github.keycloaksts.admin;

import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.CompiledTrustPolicies;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;
import io.github.keycloaksts.store.PrincipalBindings;
import org.keycloak.models.KeycloakSession;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Keycloak roles that whoever may assume an IAM role can reach by chaining: the grants of every role whose trust
 * policy names it (its role KRN or a session KRN of it, as bound by id), of the roles that name those, and so on.
 * Changing who may assume a role changes who holds all of them, so such a change takes the right to map them too:
 * otherwise an administrator who may not grant {@code realm-admin} could make a role that grants nothing trust
 * itself and chain into a role that grants it (outsider review, issue 14). A role that trusts {@code "*"},
 * {@code NotPrincipal} or the realm's {@code root} may admit the sessions of any role (a condition such as
 * {@code ArnLike kc:PrincipalKrn assumed-role/jump/*} can make it admit only those of one role), so its grants are
 * reachable from every role: conservative, and the price of conditions the check cannot see through. The realm's
 * roles are read once per instance.
 */
final class ChainedGrants {

    /** Role id to the roles whose trust names its sessions. */
    private final Map<String, List<IamRoleEntity>> trustedBy = new HashMap<>();
    /** Roles whose trust may admit any role session of the realm. */
    private final List<IamRoleEntity> trustingAnySession = new ArrayList<>();

    ChainedGrants(KeycloakSession session, String realmId, String realmName) {
        String root = Krn.root(realmName).toString();
        for (IamRoleEntity candidate : new IamRoleStore(session).all(realmId)) {
            if (CompiledTrustPolicies.of(candidate, realmName).allowsUnnamedPrincipals()
                    || PrincipalBindings.of(session, candidate).containsKey(root)) {
                trustingAnySession.add(candidate);
            }
            for (Map.Entry<String, String> binding : PrincipalBindings.of(session, candidate).entrySet()) {
                boolean namesSessions = Krn.parse(binding.getKey()).flatMap(Krn::kind)
                        .filter(kind -> kind == Krn.Kind.ROLE || kind == Krn.Kind.ASSUMED_ROLE).isPresent();
                if (namesSessions) {
                    trustedBy.computeIfAbsent(binding.getValue(), id -> new ArrayList<>()).add(candidate);
                }
            }
        }
    }

    /**
     * The grants of every role that trusts {@code role}'s sessions, transitively (never {@code role}'s own).
     *
     * @param roleId the role's id; for a role about to be created, an id no binding names
     */
    Set<String> reachableFrom(String roleId) {
        Set<String> grants = new HashSet<>();
        reachableRoles(roleId).forEach(role -> grants.addAll(role.getGrantedRoleIds()));
        return grants;
    }

    /**
     * The audiences and scopes of the same roles: a session of one of them carries its audiences and scopes, so
     * reaching it by chaining hands those out as much as its grants (outsider review of this round, F4).
     */
    IamRoles.Targets targetsReachableFrom(String roleId) {
        Set<String> audiences = new HashSet<>();
        Set<String> scopes = new HashSet<>();
        reachableRoles(roleId).forEach(role -> {
            audiences.addAll(role.getAudienceIds());
            scopes.addAll(role.getScopeIds());
        });
        return new IamRoles.Targets(audiences, scopes);
    }

    private List<IamRoleEntity> reachableRoles(String roleId) {
        List<IamRoleEntity> reached = new ArrayList<>();
        Set<String> visited = new HashSet<>(Set.of(roleId));
        Deque<String> trusted = new ArrayDeque<>(List.of(roleId));
        for (IamRoleEntity trusting : trustingAnySession) {
            if (visited.add(trusting.getId())) {
                reached.add(trusting);
                trusted.addLast(trusting.getId());
            }
        }
        while (!trusted.isEmpty()) {
            for (IamRoleEntity trusting : trustedBy.getOrDefault(trusted.removeFirst(), List.of())) {
                if (visited.add(trusting.getId())) {
                    reached.add(trusting);
                    trusted.addLast(trusting.getId());
                }
            }
        }
        return reached;
    }
}
