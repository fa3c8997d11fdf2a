package io.github.keycloaksts.sts;

import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.metrics.StsMetrics;
import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.policy.TrustPolicy;
import io.github.keycloaksts.role.RoleLimits;
import io.github.keycloaksts.role.PermissionNames;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.RoleSnapshot;
import io.github.keycloaksts.store.RoleSnapshots;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.common.util.Time;
import org.keycloak.services.Urls;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The decision to issue a role session (kept apart from minting it): verify the subject token, find the role,
 * evaluate its compiled trust policy against facts of the verified principal and the request, then apply the
 * duration and audience rules. Unknown and untrusted roles end identically (403 access_denied).
 */
final class AssumeRoleExchange {

    /** AWS caps a chained session at one hour unless the role says otherwise. */
    static final int CHAINED_DURATION_CAP = 3600;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ClientModel requester;
    private final int maxChainDepth;

    AssumeRoleExchange(KeycloakSession session, RealmModel realm, ClientModel requester, int maxChainDepth) {
        this.session = session;
        this.realm = realm;
        this.requester = requester;
        this.maxChainDepth = maxChainDepth;
    }

    /**
     * Decides in three phases, so that whether a role exists can never be told from the answer (status, body,
     * headers) or from how much work was done:
     * <ol>
     *   <li>the caller and the request alone: the subject token, which client may exchange it, the chain's depth,
     *       transitive tags and source identity (a 400 here says nothing about any role);</li>
     *   <li>the role and its trust policy, with the caller's facts bound to the role's principal ids: an unknown
     *       role is evaluated like an untrusting one and ends with the same 403;</li>
     *   <li>only for a trusted caller: what the session gets (duration, session policy, audience).</li>
     * </ol>
     */
    RoleSession decide(AssumeRoleRequest request) {
        // Phase 1: the caller and the request.
        Caller caller = caller(request);
        Optional<RoleChain> chain = caller.chain();
        if (chain.isPresent() && chain.get().depthOfNext() > maxChainDepth) {
            throw StsException.invalidRequest("subject_token", "the role chain would hold " + chain.get().depthOfNext()
                    + " sessions; at most " + maxChainDepth + " are allowed");
        }
        String sessionName = request.roleSessionName().orElseGet(caller::defaultSessionName);
        SortedMap<String, String> tags = sessionTags(request, chain);
        SortedSet<String> transitiveKeys = new TreeSet<>(request.transitiveTagKeys());
        chain.ifPresent(c -> transitiveKeys.addAll(c.transitiveKeys()));
        Optional<String> sourceIdentity = sourceIdentity(request, chain);

        // Phase 2: the role and its trust policy.
        Optional<RoleSnapshot> found = findRole(request.role());
        Predicate<String> wanted = found.isPresent() ? found.get().trustPolicy().referencedKeys()::contains : key -> false;
        CallerFacts callerFacts = caller.facts(session, realm, wanted);
        AccessRequest.Builder facts = callerFacts.request(found.map(RoleSnapshot::principalIds).orElse(Map.of()))
                .value("sts:RoleSessionName", sessionName)
                .value("sts:ExternalId", request.externalId().map(List::of).orElse(List.of()))
                .value("sts:SourceIdentity", sourceIdentity.map(List::of).orElse(List.of()))
                .value("kc:ClientId", requester.getClientId())
                .value("kc:SubjectClientId", caller.subjectClientId().map(List::of).orElse(List.of()))
                .value("kc:SourceIp", session.getContext().getConnection().getRemoteAddr())
                .value("kc:TagKeys", request.sessionTags().keySet());
        request.sessionTags().forEach((key, value) -> facts.value("kc:RequestTag/" + key, value));
        if (found.isEmpty()) {
            throw StsException.accessDenied("role_not_found", "role '" + request.role() + "' not found");
        }
        RoleSnapshot role = found.get();
        String roleKrn = RoleKrn.of(realm.getName(), role.path(), role.name());
        TrustPolicy policy = role.trustPolicy();
        Decision decision = allowed(policy, facts.action(caller.action()).build(), roleKrn);
        // As AWS: passing tags needs sts:TagSession, a source identity (set now or carried along a chain)
        // needs sts:SetSourceIdentity.
        if (!request.sessionTags().isEmpty()) {
            allowed(policy, facts.action("sts:TagSession").build(), roleKrn);
        }
        if (sourceIdentity.isPresent()) {
            allowed(policy, facts.action("sts:SetSourceIdentity").build(), roleKrn);
        }

        // Phase 3: what a trusted caller's session gets.
        int duration = chain.isPresent() ? chainedDuration(request, role, chain.get()) : duration(request, role);
        Set<String> granted = granted(role, request.sessionPolicy());
        return new RoleSession(role, roleKrn, caller, sessionName, duration,
                audiences(granted, request.audiences()), decision, granted, tags, transitiveKeys, sourceIdentity);
    }

    /**
     * Who the subject token says the caller is: a role session (chaining), a SAML assertion or a token of one of
     * the realm's identity providers (AssumeRoleWithSAML, web identity), or an access token of a realm of this server.
     */
    private Caller caller(AssumeRoleRequest request) {
        String token = request.subjectToken();
        if (RoleSessionValidator.claimsToBeRoleSession(token)) {
            PriorSession prior = PriorSession.verify(session, token);
            SubjectBinding.require(requester, prior.token(), prior.realm().getId().equals(realm.getId()));
            return prior;
        }
        if (request.subjectTokenType().equals(SamlAssertions.SAML2_TYPE)) {
            return SamlAssertions.verify(session, realm, request.subjectIssuer(), token);
        }
        String issuer = Issuers.unverifiedIssuer(token);
        // The realm's own tokens (the common case) are never an identity provider's: skip looking through the
        // realm's providers, which costs a provider lookup per exchange (measured with JFR in ExchangeBenchmark).
        boolean ownRealm = request.subjectIssuer().isEmpty() && !request.subjectTokenType().equals(WebIdentityTokens.ID_TOKEN_TYPE)
                && issuer != null && issuer.equals(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        Optional<IdentityProviderModel> provider = ownRealm ? Optional.empty()
                : WebIdentityTokens.providerFor(session, request.subjectIssuer(), issuer);
        if (provider.isPresent()) {
            return WebIdentityTokens.verify(session, realm, provider.get(), token);
        }
        if (request.subjectTokenType().equals(WebIdentityTokens.ID_TOKEN_TYPE)) {
            throw StsException.invalidRequest("subject_token", "an ID token must come from an identity provider of this realm");
        }
        VerifiedSubject subject = SubjectTokenVerifier.verify(session, token);
        SubjectBinding.require(requester, subject.token(), subject.realm().getId().equals(realm.getId()));
        return subject;
    }

    private static int duration(AssumeRoleRequest request, RoleSnapshot role) {
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
    private static int chainedDuration(AssumeRoleRequest request, RoleSnapshot role, RoleChain chain) {
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
    private static SortedMap<String, String> sessionTags(AssumeRoleRequest request, Optional<RoleChain> chain) {
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
    private static Optional<String> sourceIdentity(AssumeRoleRequest request, Optional<RoleChain> chain) {
        Optional<String> inherited = chain.flatMap(RoleChain::sourceIdentity);
        if (inherited.isPresent() && request.sourceIdentity().isPresent()
                && !inherited.get().equals(request.sourceIdentity().get())) {
            throw StsException.invalidRequest("source_identity", "the role chain's source identity is already set and"
                    + " cannot be changed");
        }
        return inherited.isPresent() ? inherited : request.sourceIdentity();
    }

    private static Decision allowed(TrustPolicy policy, AccessRequest request, String roleKrn) {
        Decision decision = StsMetrics.timePolicyEvaluation(() -> policy.evaluate(request));
        if (!decision.allowed()) {
            String kind = decision.outcome() == Decision.Outcome.EXPLICIT_DENY ? "explicit_deny" : "implicit_deny";
            throw StsException.accessDenied(kind, request.action() + ": " + decision.outcome().json() + " by the trust policy of "
                    + roleKrn + (decision.matchedStatements().isEmpty() ? "" : " (statements " + decision.matchedStatements() + ")"));
        }
        return decision;
    }

    /**
     * The Keycloak roles the session carries: the role's grants, or with a session policy their intersection with
     * it (AWS session policies only ever narrow; naming something the role does not grant is not an error).
     */
    private Set<String> granted(RoleSnapshot role, Optional<PermissionNames> sessionPolicy) {
        if (sessionPolicy.isEmpty()) {
            return Set.copyOf(role.grantedRoleIds());
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String roleId : role.grantedRoleIds()) {
            RoleModel grantedRole = realm.getRoleById(roleId);
            if (grantedRole == null) {
                continue;
            }
            boolean wanted = grantedRole.isClientRole()
                    ? sessionPolicy.get().clientRoles().getOrDefault(((ClientModel) grantedRole.getContainer()).getClientId(),
                    java.util.Collections.emptySortedSet()).contains(grantedRole.getName())
                    : sessionPolicy.get().realmRoles().contains(grantedRole.getName());
            if (wanted) {
                kept.add(roleId);
            }
        }
        return kept;
    }

    private Optional<RoleSnapshot> findRole(String nameOrKrn) {
        if (nameOrKrn.startsWith("krn:")) {
            Optional<Krn> krn = Krn.parse(nameOrKrn);
            if (krn.isEmpty() || krn.get().kind().orElseThrow() != Krn.Kind.ROLE || !krn.get().realm().equals(realm.getName())) {
                return Optional.empty();
            }
            String path = krn.get().rolePath();
            return RoleSnapshots.find(session, realm.getId(), realm.getName(), krn.get().roleName())
                    .filter(r -> r.path().equals(path));
        }
        return RoleSnapshots.find(session, realm.getId(), realm.getName(), nameOrKrn);
    }

    /**
     * {@code aud}: the clients whose roles the session carries (a resource server sees itself in {@code aud}
     * exactly when the session carries roles for it). A requested audience must be one of those: RFC 8693 invalid_target.
     */
    private List<String> audiences(Set<String> grantedRoleIds, List<String> requested) {
        Set<String> granted = new LinkedHashSet<>();
        for (String roleId : grantedRoleIds) {
            RoleModel grantedRole = realm.getRoleById(roleId);
            if (grantedRole != null && grantedRole.isClientRole()) {
                granted.add(((ClientModel) grantedRole.getContainer()).getClientId());
            }
        }
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
}
