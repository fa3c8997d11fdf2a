package io.github.keycloaksts.subject;

import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.session.RoleChain;
import io.github.keycloaksts.session.RoleSessionClaims;
import io.github.keycloaksts.session.RoleSessionValidator;

import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.facts.PrincipalFacts;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * A live role session presented as the subject of a new exchange (role chaining, AWS "role chaining"). It stands
 * for its role, never for the principal behind it: the trust policy of the next role sees the session
 * ({@code krn:keycloak:sts::<realm>:assumed-role/<role>/<session>}) and its role's KRN as principals, the realm's
 * root only when the chain began with one of the realm's own principals, its tags as {@code kc:PrincipalTag/<key>},
 * and its origin's authentication and identity provider ({@link SessionOrigin}); the principal's own groups, roles
 * and attributes are not facts of a chained request.
 *
 * @param realm   the realm that issued the session
 * @param token   the verified session token
 * @param claims     the session's claims
 * @param chainSoFar what it passes on to the next session
 */
public record PriorSession(RealmModel realm, AccessToken token, RoleSessionClaims claims, RoleChain chainSoFar)
        implements Caller {

    /**
     * Verifies a role-session token as the subject of an exchange: a session of a realm of this server, live by the
     * same rule as introspection (signature, expiry, revocation of the session, of its role's sessions, of its KRN).
     */
    public static PriorSession verify(KeycloakSession session, SubjectToken subjectToken) {
        RealmModel issuingRealm = Issuers.realmOf(session, subjectToken.issuer());
        if (issuingRealm == null || !issuingRealm.isEnabled()) {
            throw StsException.invalidRequest("subject_token", "not a token this server issued");
        }
        KeycloakContext context = session.getContext();
        RealmModel requestRealm = context.getRealm();
        RoleSessionValidator.Result result;
        try {
            // The realm's keys are looked up from the context realm.
            context.setRealm(issuingRealm);
            result = RoleSessionValidator.validate(session, issuingRealm, subjectToken.encoded());
        } finally {
            context.setRealm(requestRealm);
        }
        if (!result.live()) {
            throw StsException.invalidRequest("subject_token", "role session invalid, expired or revoked");
        }
        return of(issuingRealm, result.token());
    }

    /** Reads a verified session token; its claims were found well-formed by {@link RoleSessionValidator}. */
    public static PriorSession of(RealmModel realm, AccessToken token) {
        RoleSessionClaims claims = RoleSessionClaims.read(token).orElseThrow();
        return new PriorSession(realm, token, claims, claims.chainSoFar(token.getExp()));
    }

    @Override
    public Krn principal() {
        return claims.principal();
    }

    @Override
    public CallerFacts facts(KeycloakSession keycloak, RealmModel target, Predicate<String> wanted) {
        return PrincipalFacts.ofRoleSession(realm, target, claims.sessionKrn(), claims.role(), claims.roleId(),
                claims.origin(), claims.sessionTags()).build();
    }

    /** The chain's origin, unchanged: a chain is judged by who began it, however many sessions it holds. */
    @Override
    public SessionOrigin origin(RealmModel target) {
        SessionOrigin origin = claims.origin();
        return realm.getId().equals(target.getId()) ? origin
                : new SessionOrigin(origin.origin().seenFromOtherRealm(), origin.realmId(), origin.userId(),
                origin.identityProvider(), origin.authentication());
    }

    @Override
    public String subject(RealmModel target) {
        return realm.getId().equals(target.getId()) ? token.getSubject() : claims.principal().toString();
    }

    @Override
    public Optional<String> localUserId(RealmModel target) {
        Krn principal = claims.principal();
        boolean localAccount = principal.kind().filter(kind -> kind == Krn.Kind.USER || kind == Krn.Kind.CLIENT).isPresent();
        return localAccount && realm.getId().equals(target.getId()) && principal.realm().equals(target.getName())
                ? Optional.of(token.getSubject()) : Optional.empty();
    }

    /** The session name carries over, as the chain is still the same person's work. */
    @Override
    public String defaultSessionName() {
        return claims.sessionName();
    }

    @Override
    public Optional<String> subjectClientId() {
        return Optional.ofNullable(token.getIssuedFor());
    }

    @Override
    public Optional<RoleChain> chain() {
        return Optional.of(chainSoFar);
    }
}
