package io.github.keycloaksts.sts;

import org.keycloak.models.KeycloakSession;

import java.util.Map;

/**
 * The server-side trace of each issued role session, kept in Keycloak's cluster-wide single-use-object store with
 * the token's lifetime as TTL (memory, never the database): introspection answers {@code active: true} only while
 * the record exists, so deleting it (revocation, a later issue) deactivates the token on every node.
 */
final class RoleSessionRecords {

    private static final String PREFIX = "kcsts:role-session:";

    private RoleSessionRecords() {
    }

    static void put(KeycloakSession session, String tokenId, String roleKrn, int lifetimeSeconds) {
        session.singleUseObjects().put(PREFIX + tokenId, lifetimeSeconds, Map.of("role", roleKrn));
    }

    static boolean exists(KeycloakSession session, String tokenId) {
        return tokenId != null && session.singleUseObjects().contains(PREFIX + tokenId);
    }
}
