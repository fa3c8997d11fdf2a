package io.github.keycloaksts.exchange;

import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.role.RoleLimits;
import io.github.keycloaksts.session.RoleChain;
import io.github.keycloaksts.store.GrantedRoles;
import io.github.keycloaksts.store.RoleSnapshot;
import org.keycloak.common.util.Time;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a session gets, by the rules AWS STS follows: its duration (capped along a chain), its tags (transitive tags
 * carried and never overridden), its source identity (immutable once set) and its audiences. Pure rules over the
 * request, the role and the chain; each refusal names the parameter and the limit.
 */
final class SessionTerms {

    /** AWS caps a chained session at one hour unless the role says otherwise. */
    static final int CHAINED_DURATION_CAP = 3600;

    private SessionTerms() {
    }

    static int duration(AssumeRoleRequest request, RoleSnapshot role) {
        int duration = request.durationSeconds().orElse(Math.min(3600, role.maxSessionDuration()));
        if (duration > role.maxSessionDuration()) {
            throw StsException.invalidRequest("duration_seconds", "exceeds the role's maximum session duration ("
                    + role.maxSessionDuration() + " s)");
        }
        return duration;
    }

    /**
     * A chained session lasts at most the role's chaining cap (AWS: one hour), and never ends more than that cap
     * after the chain's first session: a chain cannot be used to stay in for ever. Unlike AWS, asking for more is
     * an error that states the maximum.
     */
    static int chainedDuration(AssumeRoleRequest request, RoleSnapshot role, RoleChain chain) {
        int cap = chainCap(role);
        long remaining = chain.originExpiry() + cap - Time.currentTime();
        int allowed = (int) Math.max(1, Math.min(cap, remaining));
        if (request.durationSeconds().isEmpty()) {
            return Math.min(3600, allowed);
        }
        int requested = request.durationSeconds().getAsInt();
        if (requested > cap) {
            throw StsException.invalidRequest("duration_seconds", "a chained session of this role lasts at most "
                    + cap + " s (its maxChainedSessionDuration" + (role.maxChainedSessionDuration() == null ? ", default 3600" : "") + ")");
        }
        if (requested > allowed) {
            throw StsException.invalidRequest("duration_seconds", "at most " + allowed + " s are left for this role chain,"
                    + " which ends " + cap + " s after its first session expired");
        }
        return requested;
    }

    static int chainCap(RoleSnapshot role) {
        Integer configured = role.maxChainedSessionDuration();
        return Math.min(configured == null ? CHAINED_DURATION_CAP : configured, role.maxSessionDuration());
    }

    /** The request's tags plus the chain's transitive tags, which a request may not override (AWS). */
    static SortedMap<String, String> sessionTags(AssumeRoleRequest request, Optional<RoleChain> chain) {
        SortedMap<String, String> tags = new TreeMap<>(request.sessionTags());
        if (chain.isEmpty()) {
            return tags;
        }
        for (Map.Entry<String, String> inherited : chain.get().transitiveTags().entrySet()) {
            for (String key : request.sessionTags().keySet()) {
                // AWS tag keys are case-insensitive: "Project" would override "project".
                if (key.equalsIgnoreCase(inherited.getKey())) {
                    throw StsException.invalidRequest("session_tags", "'" + key + "' is a transitive tag of the role chain"
                            + " and cannot be overridden");
                }
            }
            tags.put(inherited.getKey(), inherited.getValue());
        }
        if (tags.size() > RoleLimits.TAGS_MAX) {
            throw StsException.invalidRequest("session_tags", "with the chain's " + chain.get().transitiveTags().size()
                    + " transitive tags the session would have " + tags.size() + " tags; at most " + RoleLimits.TAGS_MAX);
        }
        return tags;
    }

    /** A source identity, once set, is the chain's for good (AWS): the same value may be repeated, no other. */
    static Optional<String> sourceIdentity(AssumeRoleRequest request, Optional<RoleChain> chain) {
        Optional<String> inherited = chain.flatMap(RoleChain::sourceIdentity);
        if (inherited.isPresent() && request.sourceIdentity().isPresent()
                && !inherited.get().equals(request.sourceIdentity().get())) {
            throw StsException.invalidRequest("source_identity", "the role chain's source identity is already set and"
                    + " cannot be changed");
        }
        return inherited.isPresent() ? inherited : request.sourceIdentity();
    }

    /**
     * {@code aud}: the clients whose roles the session carries, and the clients the role names as audiences (an API
     * gateway, a resource server that authorizes by scope): a resource server sees itself in {@code aud} exactly when
     * the role made it one. A requested audience must be one of those (RFC 8693 §2.2.2 invalid_target); the session
     * then carries only the requested ones.
     */
    static List<String> audiences(GrantedRoles grantedRoles, Set<String> roleAudiences, List<String> requested) {
        Set<String> granted = new LinkedHashSet<>(grantedRoles.clients());
        granted.addAll(roleAudiences);
        if (requested.isEmpty()) {
            return List.copyOf(granted);
        }
        for (String audience : requested) {
            if (!granted.contains(audience)) {
                throw StsException.invalidTarget(audience);
            }
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    /**
     * {@code scope}: the role's scopes, or the requested ones among them (RFC 6749 §3.3: the server may issue fewer
     * than asked, but never a scope the role does not offer: {@code invalid_scope}, §5.2).
     */
    static List<String> scopes(Set<String> roleScopes, List<String> requested) {
        if (requested.isEmpty()) {
            return List.copyOf(roleScopes);
        }
        for (String scope : requested) {
            if (!roleScopes.contains(scope)) {
                throw StsException.invalidScope(scope);
            }
        }
        return List.copyOf(requested);
    }
}
