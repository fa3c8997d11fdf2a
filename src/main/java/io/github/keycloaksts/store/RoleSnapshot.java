package io.github.keycloaksts.store;

import io.github.keycloaksts.policy.TrustPolicy;

import org.keycloak.models.KeycloakSession;

import java.util.Map;
import java.util.Set;

/**
 * What an exchange or an introspection needs of an IAM role, read once and never changed: safe to share between
 * requests and threads, unlike the JPA entity it was copied from. The trust policy is already compiled.
 *
 * @param principalIds the ids the trust policy's principal KRNs were bound to when the role was saved (see
 *                     {@link PrincipalBindings}): KRN as written in the policy (canonical form, as
 *                     {@code Krn.toString()}) to the immutable id of the user, client, group, realm
 *                     ({@code root}), identity provider ({@code internalId}), user-federation component or IAM role it
 *                     named. A principal KRN of the policy that is absent from the map named nothing when the role was
 *                     saved and must match no one. Immutable.
 * @param audienceIds  internal ids of the clients the role names as audiences of its sessions
 * @param scopeIds     ids of the client scopes the role puts in its sessions' {@code scope}
 */
public record RoleSnapshot(String id, String name, String path, int maxSessionDuration,
                           Integer maxChainedSessionDuration, long sessionsRevokedAt, Set<String> grantedRoleIds,
                           TrustPolicy trustPolicy, Map<String, String> principalIds, Set<String> audienceIds,
                           Set<String> scopeIds) {

    public RoleSnapshot {
        grantedRoleIds = Set.copyOf(grantedRoleIds);
        principalIds = Map.copyOf(principalIds);
        audienceIds = Set.copyOf(audienceIds);
        scopeIds = Set.copyOf(scopeIds);
    }

    static RoleSnapshot of(KeycloakSession session, IamRoleEntity role, String realmName) {
        return new RoleSnapshot(role.getId(), role.getName(), role.getPath(), role.getMaxSessionDuration(),
                role.getMaxChainedSessionDuration(), role.getSessionsRevokedAt(), role.getGrantedRoleIds(),
                CompiledTrustPolicies.of(role, realmName), PrincipalBindings.ofStoring(session, role),
                role.getAudienceIds(), role.getScopeIds());
    }
}
