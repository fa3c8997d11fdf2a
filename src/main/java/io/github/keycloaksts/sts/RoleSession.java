package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.store.RoleSnapshot;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * An allowed exchange, everything needed to mint its token: the role, who assumed it (and the chain it continues),
 * under which session name, for how long, for which audiences, the Keycloak roles it carries (the role's grants,
 * narrowed by a session policy), its tags and source identity, and the policy decision (for the event).
 */
record RoleSession(RoleSnapshot role, String roleKrn, Caller caller, String sessionName,
                   int durationSeconds, List<String> audiences, Decision decision, Set<String> grantedRoleIds,
                   SortedMap<String, String> sessionTags, SortedSet<String> transitiveTagKeys,
                   Optional<String> sourceIdentity) {
}
