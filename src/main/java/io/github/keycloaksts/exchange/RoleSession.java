package io.github.keycloaksts.exchange;

import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.session.RoleChain;
import io.github.keycloaksts.session.RoleSessionClaims;
import io.github.keycloaksts.store.GrantedRoles;
import io.github.keycloaksts.store.RoleSnapshot;
import io.github.keycloaksts.subject.Caller;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * An allowed exchange, everything needed to mint its token: the role, who assumed it (and the chain it continues),
 * under which session name, for how long, for which audiences and scopes, the Keycloak roles it carries (the role's grants,
 * narrowed by a session policy), its tags and source identity, and the policy decision (for the event).
 */
record RoleSession(RoleSnapshot role, Krn roleKrn, Caller caller, String sessionName, int durationSeconds,
                   List<String> audiences, List<String> scopes, Decision decision, GrantedRoles granted,
                   SortedMap<String, String> sessionTags, SortedSet<String> transitiveTagKeys,
                   Optional<String> sourceIdentity) {

    /** The claims of the session's token, as seen from the realm that issues it. */
    RoleSessionClaims claims(RealmModel realm) {
        Optional<RoleChain> chain = caller.chain();
        return new RoleSessionClaims(roleKrn, role.id(), sessionName, caller.principal(), caller.origin(realm),
                sessionTags, transitiveTagKeys, sourceIdentity, chain.map(RoleChain::links).orElse(List.of()),
                chain.map(RoleChain::originExpiry));
    }
}
