package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.IamRoleEntity;

import java.util.List;

/**
 * An allowed exchange, everything needed to mint its token: the role, who assumed it, under which session name,
 * for how long, for which audiences, and the policy decision (for the event).
 */
record RoleSession(IamRoleEntity role, String roleKrn, VerifiedSubject subject, Krn principal, String sessionName,
                   int durationSeconds, List<String> audiences, Decision decision) {
}
