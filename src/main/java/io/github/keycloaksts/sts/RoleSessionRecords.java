package io.github.keycloaksts.sts;

import org.keycloak.models.KeycloakSession;

import java.util.Map;

/**
 * The server-side trace of each issued role session, kept in Keycloak's cluster-wide single-use-object store with
 * the token's lifetime as TTL (memory, never the database): introspection answers {@code active: true} only while
 * the record exists, so deleting it (revocation, a later issue) deactivates the token on every node.
 */
public final class RoleSessionRecords {

    private static final String PREFIX = "kcsts:role-session:";

    private RoleSessionRecords() {
    }

    static void put(KeycloakSession session, String tokenId, String roleKrn, int lifetimeSeconds) {
        session.singleUseObjects().put(PREFIX + tokenId, lifetimeSeconds, Map.of("role", roleKrn));
    }

    static boolean exists(KeycloakSession session, String tokenId) {
        return tokenId != null && session.singleUseObjects().contains(PREFIX + tokenId);
    }

    /**
     * Revokes one session: its token is inactive at introspection from now on, on every node.
     *
     * @param realmName only a session of a role of this realm is revoked
     * @return whether such a live session existed
     */
    public static boolean revoke(KeycloakSession session, String realmName, String tokenId) {
        Map<String, String> record = session.singleUseObjects().get(PREFIX + tokenId);
        if (record == null || !String.valueOf(record.get("role")).startsWith("krn:keycloak:iam::" + realmName + ":")) {
            return false;
        }
        return session.singleUseObjects().remove(PREFIX + tokenId) != null;
    }
}
