package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.RealmModel;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who asks to assume a role, once the subject token has been verified: a principal presenting its own token
 * ({@link VerifiedSubject}), an earlier role session ({@link PriorSession}, role chaining), or a token of an
 * external identity provider, OpenID Connect or SAML ({@link ExternalIdentity}).
 */
sealed interface Caller permits VerifiedSubject, PriorSession, ExternalIdentity {

    /** The trust-policy action the request is: AWS distinguishes web identity from the rest. */
    default String action() {
        return "sts:AssumeRole";
    }

    /** The KRN of the principal behind the session: along a chain, always the first session's principal. */
    Krn principal();

    /** The trust-policy facts of the caller, before the request's own ({@code sts:*}, client, address). */
    AccessRequest.Builder facts(RealmModel target, Predicate<String> wanted);

    /**
     * {@code sub} of the new session: a user id of {@code target} when the principal is a user or service account
     * of that realm (what resource servers key on), otherwise the principal's KRN (no local user is needed).
     */
    String subject(RealmModel target);

    /** The id of the user of {@code target} behind the session, for events; empty for principals of other realms. */
    Optional<String> localUserId(RealmModel target);

    /** The session name when the request gives none. */
    String defaultSessionName();

    /** The chain this caller continues; empty for a principal's own token. */
    Optional<RoleChain> chain();
}
