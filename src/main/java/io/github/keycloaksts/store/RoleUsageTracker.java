package io.github.keycloaksts.store;

import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each role was last assumed and by which client, without a database write per exchange: every node keeps
 * the latest use of each role in memory and writes them in one batch per interval (and at shutdown), never moving a
 * value backwards. What the admin API shows is what was written, so it is at most one interval old, on every node
 * alike (AWS's RoleLastUsed is documented to lag by hours). A node that crashes loses at most one interval of
 * "last used" updates, never anything else.
 */
public final class RoleUsageTracker {

    /** A use of a role: epoch milliseconds and the requesting client. */
    public record Usage(long at, String clientId) {
    }

    private static final Map<String, Usage> PENDING = new ConcurrentHashMap<>();

    private RoleUsageTracker() {
    }

    public static void record(String roleId, String clientId) {
        Usage now = new Usage(Time.currentTimeMillis(), clientId);
        PENDING.merge(roleId, now, (older, newer) -> newer.at() >= older.at() ? newer : older);
    }

    /** The last use of the role as written (at most one flush interval old), or empty when never used. */
    public static Optional<Usage> written(IamRoleEntity role) {
        return role.getLastUsedAt() > 0 ? Optional.of(new Usage(role.getLastUsedAt(), role.getLastUsedBy())) : Optional.empty();
    }

    /** Writes the pending uses in the session's transaction; a use that arrives meanwhile waits for the next flush. */
    public static int flush(KeycloakSession session) {
        var em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        int written = 0;
        for (Map.Entry<String, Usage> entry : PENDING.entrySet()) {
            if (!PENDING.remove(entry.getKey(), entry.getValue())) {
                continue;
            }
            // A bulk update: no version bump, so the compiled-policy cache keeps its entry.
            written += em.createQuery("update KcStsIamRole r set r.lastUsedAt = :at, r.lastUsedBy = :by"
                            + " where r.id = :id and r.lastUsedAt < :at")
                    .setParameter("at", entry.getValue().at())
                    .setParameter("by", entry.getValue().clientId())
                    .setParameter("id", entry.getKey())
                    .executeUpdate();
        }
        return written;
    }
}
