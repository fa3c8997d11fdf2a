package io.github.keycloaksts.session;

import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.representations.AccessToken;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The claims that make an access token a role session, typed: written only by {@link RoleSessionMinter}, read back
 * only from tokens whose signature was checked. Every other class speaks of these fields, never of claim names.
 *
 * @param role              the KRN of the IAM role ({@code assumed_role})
 * @param roleId            the IAM role's immutable id ({@code assumed_role_id}): a role deleted and re-created under
 *                          the same name never revives a session
 * @param sessionName       {@code role_session_name}
 * @param principal         who began the chain ({@code principal})
 * @param origin            how the chain began ({@code origin}, {@link SessionOrigin})
 * @param sessionTags       {@code session_tags}
 * @param transitiveTagKeys {@code transitive_tag_keys}: the tags that flow into a chained session
 * @param sourceIdentity    {@code source_identity}, immutable along the chain (AWS)
 * @param earlierSessions   the session KRNs of the chain before this session, first first (RFC 8693 §4.1 {@code act},
 *                          which nests the most recent actor outermost)
 * @param chainOriginExpiry {@code role_chain.origin_exp}: when the chain's first session expires; empty for a first
 *                          session
 */
public record RoleSessionClaims(Krn role, String roleId, String sessionName, Krn principal, SessionOrigin origin,
                                SortedMap<String, String> sessionTags, SortedSet<String> transitiveTagKeys,
                                Optional<String> sourceIdentity, List<String> earlierSessions,
                                Optional<Long> chainOriginExpiry) {

    static final String ASSUMED_ROLE = "assumed_role";
    static final String ASSUMED_ROLE_ID = "assumed_role_id";
    static final String ROLE_SESSION_NAME = "role_session_name";
    static final String PRINCIPAL = "principal";
    static final String SESSION_TAGS = "session_tags";
    static final String TRANSITIVE_TAG_KEYS = "transitive_tag_keys";
    static final String SOURCE_IDENTITY = "source_identity";
    static final String ACT = "act";
    static final String ROLE_CHAIN = "role_chain";
    /** Nesting deeper than any allowed chain is not ours; reading stops there. */
    private static final int MAX_ACTORS = 64;

    public RoleSessionClaims {
        sessionTags = Collections.unmodifiableSortedMap(new TreeMap<>(sessionTags));
        transitiveTagKeys = Collections.unmodifiableSortedSet(new TreeSet<>(transitiveTagKeys));
        earlierSessions = List.copyOf(earlierSessions);
    }

    /** A session chosen at sign-in: no tags, no chain. */
    public static RoleSessionClaims signIn(Krn role, String roleId, String sessionName, Krn principal, SessionOrigin origin) {
        return new RoleSessionClaims(role, roleId, sessionName, principal, origin, new TreeMap<>(), new TreeSet<>(),
                Optional.empty(), List.of(), Optional.empty());
    }

    /**
     * Whether a token claims to be a role session, of a role or of none (a sign-in client's token without a chosen
     * role carries an empty {@code assumed_role}). Says nothing about whether it is genuine.
     */
    public static boolean claimedBy(AccessToken token) {
        return token.getOtherClaims().containsKey(ASSUMED_ROLE);
    }

    /** Marks a sign-in client's token as a role session of no role: every liveness question then answers "not live". */
    public static void markNoRole(AccessToken token) {
        token.getOtherClaims().put(ASSUMED_ROLE, "");
    }

    /** The {@code assumed_role} claim as written, for events about tokens that may not be live. */
    public static String claimedRole(AccessToken token) {
        return String.valueOf(token.getOtherClaims().get(ASSUMED_ROLE));
    }

    /**
     * Reads the claims of a verified token; empty when any required one is missing or malformed (a token of no
     * role, of an earlier version of this extension, or not ours).
     */
    public static Optional<RoleSessionClaims> read(AccessToken token) {
        Map<String, Object> claims = token.getOtherClaims();
        Optional<Krn> role = krn(claims.get(ASSUMED_ROLE)).filter(krn -> krn.kind().orElse(null) == Krn.Kind.ROLE);
        Optional<Krn> principal = krn(claims.get(PRINCIPAL));
        Optional<SessionOrigin> origin = SessionOrigin.fromClaim(claims.get(SessionOrigin.CLAIM));
        if (role.isEmpty() || principal.isEmpty() || origin.isEmpty()
                || !(claims.get(ASSUMED_ROLE_ID) instanceof String roleId) || roleId.isEmpty()
                || !(claims.get(ROLE_SESSION_NAME) instanceof String sessionName)) {
            return Optional.empty();
        }
        SortedMap<String, String> tags = new TreeMap<>();
        if (claims.get(SESSION_TAGS) instanceof Map<?, ?> map) {
            map.forEach((key, value) -> tags.put(String.valueOf(key), String.valueOf(value)));
        }
        SortedSet<String> transitive = new TreeSet<>();
        if (claims.get(TRANSITIVE_TAG_KEYS) instanceof List<?> keys) {
            keys.forEach(key -> transitive.add(String.valueOf(key)));
        }
        List<String> earlier = new ArrayList<>();
        Object act = claims.get(ACT);
        while (act instanceof Map<?, ?> actor && earlier.size() < MAX_ACTORS) {
            earlier.add(String.valueOf(actor.get("sub")));
            act = actor.get(ACT);
        }
        Collections.reverse(earlier);
        Optional<Long> originExpiry = claims.get(ROLE_CHAIN) instanceof Map<?, ?> chain
                && chain.get("origin_exp") instanceof Number exp ? Optional.of(exp.longValue()) : Optional.empty();
        Optional<String> sourceIdentity = Optional.ofNullable(claims.get(SOURCE_IDENTITY)).map(String::valueOf);
        return Optional.of(new RoleSessionClaims(role.get(), roleId, sessionName, principal.get(), origin.get(), tags,
                transitive, sourceIdentity, earlier, originExpiry));
    }

    /** Writes these claims into a token being minted. */
    void writeTo(AccessToken token) {
        token.setOtherClaims(ASSUMED_ROLE, role.toString());
        token.setOtherClaims(ASSUMED_ROLE_ID, roleId);
        token.setOtherClaims(ROLE_SESSION_NAME, sessionName);
        token.setOtherClaims(PRINCIPAL, principal.toString());
        token.setOtherClaims(SessionOrigin.CLAIM, origin.toClaim());
        if (!sessionTags.isEmpty()) {
            token.setOtherClaims(SESSION_TAGS, sessionTags);
        }
        if (!transitiveTagKeys.isEmpty()) {
            token.setOtherClaims(TRANSITIVE_TAG_KEYS, List.copyOf(transitiveTagKeys));
        }
        sourceIdentity.ifPresent(identity -> token.setOtherClaims(SOURCE_IDENTITY, identity));
        if (!earlierSessions.isEmpty()) {
            token.setOtherClaims(ACT, act(earlierSessions.size() - 1));
            Map<String, Object> roleChain = new LinkedHashMap<>();
            roleChain.put("depth", earlierSessions.size() + 1);
            roleChain.put("origin_exp", chainOriginExpiry.orElseThrow());
            token.setOtherClaims(ROLE_CHAIN, roleChain);
        }
    }

    /** The most recent earlier session outermost, as RFC 8693 §4.1 nests actors. */
    private Map<String, Object> act(int index) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", earlierSessions.get(index));
        if (index > 0) {
            actor.put(ACT, act(index - 1));
        }
        return actor;
    }

    /** {@code krn:keycloak:sts::<realm>:assumed-role/<role name>/<session name>} (DESIGN.md). */
    public Krn sessionKrn() {
        return sessionKrn(role.realm(), role.roleName(), sessionName);
    }

    public static Krn sessionKrn(String realmName, String roleName, String sessionName) {
        return Krn.parse("krn:keycloak:sts::" + realmName + ":assumed-role/" + roleName + "/" + sessionName).orElseThrow();
    }

    /**
     * What this session passes on when it is the subject of a new exchange: the chain so far ending with this
     * session, when its first session expires ({@code exp} of this one for a first session), and the tags whose
     * keys are transitive.
     */
    public RoleChain chainSoFar(long expiry) {
        List<String> links = new ArrayList<>(earlierSessions);
        links.add(sessionKrn().toString());
        SortedMap<String, String> transitive = new TreeMap<>();
        transitiveTagKeys.forEach(key -> {
            if (sessionTags.containsKey(key)) {
                transitive.put(key, sessionTags.get(key));
            }
        });
        return new RoleChain(links, chainOriginExpiry.orElse(expiry), transitive, sourceIdentity);
    }

    private static Optional<Krn> krn(Object claim) {
        return claim instanceof String text ? Krn.parse(text) : Optional.empty();
    }
}
