package io.github.keycloaksts.store;

import io.github.keycloaksts.policy.TrustPolicy;

import java.util.Map;
import java.util.Set;

/**
 * What an exchange or an introspection needs of an IAM role, read once and never changed: safe to share between
 * requests and threads, unlike the JPA entity it was copied from. The trust policy is already compiled.
 */
public record RoleSnapshot(String id, String name, String path, int maxSessionDuration,
                           Integer maxChainedSessionDuration, long sessionsRevokedAt, Set<String> grantedRoleIds,
                           TrustPolicy trustPolicy, Map<String, String> principalIds) {

    public RoleSnapshot {
        grantedRoleIds = Set.copyOf(grantedRoleIds);
        principalIds = Map.copyOf(principalIds);
    }

    static RoleSnapshot of(IamRoleEntity role, String realmName, Map<String, String> principalIds) {
        return new RoleSnapshot(role.getId(), role.getName(), role.getPath(), role.getMaxSessionDuration(),
                role.getMaxChainedSessionDuration(), role.getSessionsRevokedAt(), role.getGrantedRoleIds(),
                CompiledTrustPolicies.of(role, realmName), principalIds);
    }
}
