package io.github.keycloaksts.session;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaksts.role.RoleLimits;
import org.keycloak.common.util.Time;

import io.github.keycloaksts.metrics.StsMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.Optional;

/**
 * The server-side trace of each issued role session, kept in Keycloak's cluster-wide single-use-object store with
 * the token's lifetime as TTL (memory, never the database): introspection answers {@code active: true} only while
 * the record exists, so deleting it (revocation) deactivates the token on every node.
 */
public final class RoleSessionRecords {

    private static final String PREFIX = "kcsts:role-session:";
    private static final String REVOKED_KRN = "kcsts:revoked-session-krn:";
    private static final String USER_SESSION = "userSession";

    private RoleSessionRecords() {
    }

    /**
     * Records this node has written that have not expired yet, by the minute they expire in: the store keeps no
     * count, and this bounded tally (at most one entry per minute of the longest lifetime) is what the
     * {@code kcsts_role_session_records} gauge shows. It is per node, and counts a revoked record until its expiry.
     */
    private static final ConcurrentSkipListMap<Long, LongAdder> LIVE_BY_EXPIRY_MINUTE = new ConcurrentSkipListMap<>();

    static {
        StsMetrics.gauge("kcsts_role_session_records", "Role-session records written by this node and not yet expired",
                LIVE_BY_EXPIRY_MINUTE, RoleSessionRecords::live);
    }

    public static void put(KeycloakSession session, String tokenId, String roleKrn, int lifetimeSeconds) {
        put(session, tokenId, Map.of("role", roleKrn), lifetimeSeconds);
    }

    /**
     * The record of a role session chosen at sign-in: it also names the user session of that login, so that the
     * session ends with it (logout, session expiry, an administrator's sign-out), as Keycloak's own tokens do.
     */
    public static void putForUserSession(KeycloakSession session, String tokenId, String roleKrn, String userSessionId,
                                  int lifetimeSeconds) {
        put(session, tokenId, Map.of("role", roleKrn, USER_SESSION, userSessionId), lifetimeSeconds);
    }

    private static void put(KeycloakSession session, String tokenId, Map<String, String> record, int lifetimeSeconds) {
        session.singleUseObjects().put(PREFIX + tokenId, lifetimeSeconds, record);
        LIVE_BY_EXPIRY_MINUTE.computeIfAbsent((long) (Time.currentTime() + lifetimeSeconds) / 60 + 1, minute -> new LongAdder()).increment();
    }

    private static double live(ConcurrentSkipListMap<Long, LongAdder> byMinute) {
        long now = (long) Time.currentTime() / 60;
        byMinute.headMap(now, true).clear();
        return byMinute.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The live record of a session: absent once expired or revoked. */
    public static Optional<Map<String, String>> find(KeycloakSession session, String tokenId) {
        return tokenId == null ? Optional.empty() : Optional.ofNullable(session.singleUseObjects().get(PREFIX + tokenId));
    }

    /** The user session a sign-in role session belongs to; empty for sessions from AssumeRole. */
    public static Optional<String> userSessionOf(Map<String, String> record) {
        return Optional.ofNullable(record.get(USER_SESSION));
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
     * on every node: a marker with the time, kept as long as any such session can live. Keyed by the role's
     * immutable id, so that it neither reaches a later role of the same name nor is lost by a rename.
     *
     * @return the revocation time, epoch seconds
     */
    public static long revokeSessionKrn(KeycloakSession session, String roleId, String sessionName) {
        long now = Time.currentTime();
        session.singleUseObjects().put(revokedKey(roleId, sessionName), RoleLimits.MAX_SESSION_DURATION,
                Map.of("at", String.valueOf(now)));
        return now;
    }

    /** When sessions of this role with this session name were last revoked (epoch seconds), if within the longest session lifetime. */
    public static Optional<Long> sessionKrnRevokedAt(KeycloakSession session, String roleId, String sessionName) {
        Map<String, String> marker = session.singleUseObjects().get(revokedKey(roleId, sessionName));
        return marker == null ? Optional.empty() : Optional.of(Long.parseLong(marker.get("at")));
    }

    private static String revokedKey(String roleId, String sessionName) {
        return REVOKED_KRN + roleId + "/" + sessionName;
    }
}
