package io.github.keycloaksts.exchange;

import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.session.RoleChain;
import io.github.keycloaksts.subject.Caller;

import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.metrics.StsMetrics;
import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.policy.TrustPolicy;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.GrantedRoles;
import io.github.keycloaksts.store.RoleSnapshot;
import io.github.keycloaksts.store.RoleTargets;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The decision to issue a role session (kept apart from minting it): verify the subject token, find the role,
 * evaluate its compiled trust policy against facts of the verified principal and the request, then apply the
 * duration and audience rules. Unknown and untrusted roles end identically (403 access_denied).
 */
final class AssumeRoleExchange {

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
        Caller caller = SubjectRouting.caller(session, realm, requester, request);
        Optional<RoleChain> chain = caller.chain();
        if (chain.isPresent() && chain.get().depthOfNext() > maxChainDepth) {
            throw StsException.invalidRequest("subject_token", "the role chain would hold " + chain.get().depthOfNext()
                    + " sessions; at most " + maxChainDepth + " are allowed");
        }
        String sessionName = request.roleSessionName().orElseGet(caller::defaultSessionName);
        SortedMap<String, String> tags = SessionTerms.sessionTags(request, chain);
        SortedSet<String> transitiveKeys = new TreeSet<>(request.transitiveTagKeys());
        chain.ifPresent(c -> transitiveKeys.addAll(c.transitiveKeys()));
        Optional<String> sourceIdentity = SessionTerms.sourceIdentity(request, chain);

        // Phase 2: the role and its trust policy.
        Optional<RoleSnapshot> found = RoleLookup.find(session, realm, request.role());
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
        // Built, not parsed (RoleKrn.krn): an existing role must not fail where an unknown one gets 403.
        Krn roleKrn = RoleKrn.krn(realm.getName(), role.path(), role.name());
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
        int duration = chain.isPresent() ? SessionTerms.chainedDuration(request, role, chain.get())
                : SessionTerms.duration(request, role);
        GrantedRoles granted = GrantedRoles.of(realm, role.grantedRoleIds());
        if (request.sessionPolicy().isPresent()) {
            // AWS session policies only ever narrow; naming something the role does not grant is not an error.
            granted = granted.within(request.sessionPolicy().get());
        }
        return new RoleSession(role, roleKrn, caller, sessionName, duration,
                SessionTerms.audiences(granted, RoleTargets.audiences(realm, role.audienceIds()), request.audiences()),
                SessionTerms.scopes(RoleTargets.scopes(realm, role.scopeIds()), request.scopes()),
                decision, granted, tags, transitiveKeys, sourceIdentity);
    }

    private static Decision allowed(TrustPolicy policy, AccessRequest request, Krn roleKrn) {
        Decision decision = StsMetrics.timePolicyEvaluation(() -> policy.evaluate(request));
        if (!decision.allowed()) {
            String kind = decision.outcome() == Decision.Outcome.EXPLICIT_DENY ? "explicit_deny" : "implicit_deny";
            throw StsException.accessDenied(kind, request.action() + ": " + decision.outcome().json() + " by the trust policy of "
                    + roleKrn + (decision.matchedStatements().isEmpty() ? "" : " (statements " + decision.matchedStatements() + ")"));
        }
        return decision;
    }
}
