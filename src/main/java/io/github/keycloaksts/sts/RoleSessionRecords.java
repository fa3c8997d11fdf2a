package io.github.keycloaksts.sts;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaksts.role.RoleLimits;
import org.keycloak.common.util.Time;

import java.util.Map;
import java.util.Optional;

/**
 * The server-side trace of each issued role session, kept in Keycloak's cluster-wide single-use-object store with
 * the token's lifetime as TTL (memory, never the database): introspection answers {@code active: true} only while
 * the record exists, so deleting it (revocation) deactivates the token on every node.
 */
public final class RoleSessionRecords {

    private static final String PREFIX = "kcsts:role-session:";
    private static final String REVOKED_KRN = "kcsts:revoked-session-krn:";

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

    /**
     * Revokes every session with this session KRN ({@code assumed-role/<role>/<session name>}) issued up to now,
     * on every node: a marker with the time, kept as long as any such session can live.
     *
     * @return the revocation time, epoch seconds
     */
    public static long revokeSessionKrn(KeycloakSession session, String sessionKrn) {
        long now = Time.currentTime();
        session.singleUseObjects().put(REVOKED_KRN + sessionKrn, RoleLimits.MAX_SESSION_DURATION, Map.of("at", String.valueOf(now)));
        return now;
    }

    /** When sessions with this KRN were last revoked (epoch seconds), if within the longest session lifetime. */
    static Optional<Long> sessionKrnRevokedAt(KeycloakSession session, String sessionKrn) {
        Map<String, String> marker = session.singleUseObjects().get(REVOKED_KRN + sessionKrn);
        return marker == null ? Optional.empty() : Optional.of(Long.parseLong(marker.get("at")));
    }
}
