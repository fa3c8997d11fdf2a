package io.github.keycloaksts.subject;

import io.github.keycloaksts.session.RoleChain;

import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who asks to assume a role, once the subject token has been verified: a principal presenting its own token
 * ({@link VerifiedSubject}), an earlier role session ({@link PriorSession}, role chaining), or a token of an
 * external identity provider, OpenID Connect or SAML ({@link ExternalIdentity}).
 */
public sealed interface Caller permits VerifiedSubject, PriorSession, ExternalIdentity {

    /** The trust-policy action the request is: AWS distinguishes web identity from the rest. */
    default String action() {
        return "sts:AssumeRole";
    }

    /** The KRN of the principal behind the session: along a chain, always the first session's principal. */
    Krn principal();

    /** The trust-policy facts of the caller (with its origin and immutable ids), before the request's own. */
    CallerFacts facts(KeycloakSession session, RealmModel target, Predicate<String> wanted);

    /** Who began the chain the new session belongs to, as it will be carried in the new session's token. */
    SessionOrigin origin(RealmModel target);

    /**
     * {@code sub} of the new session: a user id of {@code target} when the principal is a user or service account
     * of that realm (what resource servers key on), otherwise the principal's KRN (no local user is needed).
     */
    String subject(RealmModel target);

    /** The id of the user of {@code target} behind the session, for events; empty for principals of other realms. */
    Optional<String> localUserId(RealmModel target);

    /** The client the subject token was issued to ({@code azp}), for {@code kc:SubjectClientId}; empty for external tokens. */
    default Optional<String> subjectClientId() {
        return Optional.empty();
    }

    /** The session name when the request gives none. */
    String defaultSessionName();

    /** The chain this caller continues; empty for a principal's own token. */
    Optional<RoleChain> chain();
}
