package io.github.keycloaksts.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.keycloaksts.metrics.StsMetrics;
import io.github.keycloaksts.role.RoleDraft;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * IAM roles as the token exchange and introspection read them: from memory, checked against a cluster-wide stamp
 * instead of a database query per request (a sixth of an exchange's CPU on H2, measured with JFR).
 *
 * <p>The stamp is one entry of Keycloak's single-use-object store (a distributed, synchronous cache shared by the
 * nodes of a cluster). Every committed change of any role replaces it, after the commit and before the admin's
 * response; a cached role is used only while the stamp it was read under is still the current one. A reader reads
 * the stamp before the database, so what it caches is at least as new as the change that set that stamp, and a
 * change committed later always comes with a later stamp: no node serves a role after its change or deletion has
 * been answered. Role changes are rare, so one stamp serves every realm. Only roles that exist are cached: unknown
 * names (which anyone can send) go to the database and cannot fill the cache.
 *
 * <p>Should a node stop between its commit and the new stamp, the other nodes would miss that change: entries also
 * expire {@link #MAX_AGE} after they were read, which bounds the staleness in that case (and after a manual edit of
 * the tables).
 */
public final class RoleSnapshots {

    private static final Logger LOG = Logger.getLogger(RoleSnapshots.class);
    static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final String STAMP_KEY = "kcsts:iam-roles-stamp";
    private static final String STAMP = "stamp";
    /** The stamp's lifetime in the store; when it has expired the next reader sets a new one (and rereads). */
    private static final long STAMP_LIFESPAN_SECONDS = Duration.ofDays(1).toSeconds();
    private static final String CHANGE_ENLISTED = RoleSnapshots.class.getName() + ".changeEnlisted";

    /**
     * Keyed by stamp, realm and name: after a change the old entries are simply never asked for again (and age out),
     * and the cache's hit and miss counts mean what they say.
     */
    private static final Cache<String, RoleSnapshot> CACHE = StsMetrics.recordingStats(Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(MAX_AGE), "kcsts_iam_roles").build();

    private RoleSnapshots() {
    }

    /** The role with this name (ignoring case) in the realm, as of the last committed change. */
    public static Optional<RoleSnapshot> find(KeycloakSession session, String realmId, String realmName, String name) {
        String key = currentStamp(session) + '/' + realmId + '/' + RoleDraft.nameKey(name);
        RoleSnapshot cached = CACHE.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<RoleSnapshot> read = new IamRoleStore(session)
                .findByNameWithGrants(realmId, name).map(role -> RoleSnapshot.of(session, role, realmName));
        read.ifPresent(role -> CACHE.put(key, role));
        return read;
    }

    /**
     * Replaces the stamp once this session's transaction has committed (nothing if it rolls back). Called by every
     * write of {@link IamRoleStore}; enlisted once per session.
     */
    static void changed(KeycloakSession session) {
        if (session.getAttribute(CHANGE_ENLISTED) != null) {
            return;
        }
        session.setAttribute(CHANGE_ENLISTED, Boolean.TRUE);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    newStamp(session);
                } catch (RuntimeException e) {
                    // The change is committed and must not be reported as failed: other nodes see it when their
                    // entries expire.
                    LOG.warnf(e, "IAM roles changed, but the cluster-wide stamp could not be replaced: other nodes may"
                            + " use the previous roles for up to %d s", MAX_AGE.toSeconds());
                }
            }

            @Override
            protected void rollbackImpl() {
                // nothing changed
            }
        });
    }

    private static String currentStamp(KeycloakSession session) {
        Map<String, String> notes = session.singleUseObjects().get(STAMP_KEY);
        String stamp = notes == null ? null : notes.get(STAMP);
        return stamp != null ? stamp : newStamp(session);
    }

    /**
     * Writes a new stamp at once, in a transaction of its own: the single-use-object store otherwise writes at the
     * end of the request's transaction, too late for a reader that sets the stamp before reading the database, and
     * never from an after-completion step.
     */
    private static String newStamp(KeycloakSession session) {
        String stamp = KeycloakModelUtils.generateId();
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(),
                own -> own.singleUseObjects().put(STAMP_KEY, STAMP_LIFESPAN_SECONDS, Map.of(STAMP, stamp)));
        return stamp;
    }
}
