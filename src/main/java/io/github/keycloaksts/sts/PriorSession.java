package io.github.keycloaksts.sts;

import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.facts.PrincipalFacts;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
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
 * @param role    the KRN of the role it is a session of
 * @param session the session's KRN
 */
record PriorSession(RealmModel realm, AccessToken token, Krn role, String roleId, Krn session, Krn principal,
                    SessionOrigin sessionOrigin, RoleChain chainSoFar) implements Caller {

    /**
     * Verifies a role-session token as the subject of an exchange: a session of a realm of this server, live by the
     * same rule as introspection (signature, expiry, revocation of the session, of its role's sessions, of its KRN).
     */
    static PriorSession verify(KeycloakSession session, String tokenStr) {
        RealmModel issuingRealm = Issuers.realmOf(session, Issuers.unverifiedIssuer(tokenStr));
        if (issuingRealm == null || !issuingRealm.isEnabled()) {
            throw StsException.invalidRequest("subject_token", "not a token this server issued");
        }
        KeycloakContext context = session.getContext();
        RealmModel requestRealm = context.getRealm();
        RoleSessionValidator.Result result;
        try {
            // The realm's keys are looked up from the context realm.
            context.setRealm(issuingRealm);
            result = RoleSessionValidator.validate(session, issuingRealm, tokenStr);
        } finally {
            context.setRealm(requestRealm);
        }
        if (!result.live()) {
            throw StsException.invalidRequest("subject_token", "role session invalid, expired or revoked");
        }
        return of(issuingRealm, result.token());
    }

    /** Reads a verified session token; every claim was written by {@link RoleSessionTokens}. */
    static PriorSession of(RealmModel realm, AccessToken token) {
        Map<String, Object> claims = token.getOtherClaims();
        Krn role = Krn.parse(String.valueOf(claims.get(RoleSessionTokens.ASSUMED_ROLE))).orElseThrow();
        String sessionName = String.valueOf(claims.get(RoleSessionTokens.ROLE_SESSION_NAME));
        Krn session = RoleSessionTokens.sessionKrn(realm.getName(), role.roleName(), sessionName);
        Krn principal = Krn.parse(String.valueOf(claims.get(RoleSessionTokens.PRINCIPAL))).orElseThrow();
        List<String> links = new ArrayList<>(RoleSessionTokens.actors(claims));
        Collections.reverse(links); // act nests the most recent actor outermost
        links.add(session.toString());
        long originExpiry = RoleSessionTokens.chainOriginExpiry(claims).orElse(token.getExp());
        SortedMap<String, String> tags = RoleSessionTokens.sessionTags(claims);
        SortedMap<String, String> transitive = new TreeMap<>();
        for (String key : RoleSessionTokens.transitiveTagKeys(claims)) {
            if (tags.containsKey(key)) {
                transitive.put(key, tags.get(key));
            }
        }
        Optional<String> sourceIdentity = Optional.ofNullable(claims.get(RoleSessionTokens.SOURCE_IDENTITY)).map(String::valueOf);
        // RoleSessionValidator found both claims well-formed before a session counts as live.
        String roleId = String.valueOf(claims.get(RoleSessionTokens.ASSUMED_ROLE_ID));
        SessionOrigin origin = SessionOrigin.fromClaim(claims.get(SessionOrigin.CLAIM)).orElseThrow();
        return new PriorSession(realm, token, role, roleId, session, principal, origin,
                new RoleChain(links, originExpiry, transitive, sourceIdentity));
    }

    @Override
    public CallerFacts facts(KeycloakSession keycloak, RealmModel target, Predicate<String> wanted) {
        return PrincipalFacts.ofRoleSession(realm, target, session, role, roleId, sessionOrigin,
                RoleSessionTokens.sessionTags(token.getOtherClaims())).build();
    }

    /** The chain's origin, unchanged: a chain is judged by who began it, however many sessions it holds. */
    @Override
    public SessionOrigin origin(RealmModel target) {
        return realm.getId().equals(target.getId()) ? sessionOrigin
                : new SessionOrigin(sessionOrigin.origin().seenFromOtherRealm(), sessionOrigin.realmId(),
                sessionOrigin.userId(), sessionOrigin.identityProvider(), sessionOrigin.authentication());
    }

    @Override
    public String subject(RealmModel target) {
        return realm.getId().equals(target.getId()) ? token.getSubject() : principal.toString();
    }

    @Override
    public Optional<String> localUserId(RealmModel target) {
        boolean localAccount = principal.kind().filter(kind -> kind == Krn.Kind.USER || kind == Krn.Kind.CLIENT).isPresent();
        return localAccount && realm.getId().equals(target.getId()) && principal.realm().equals(target.getName())
                ? Optional.of(token.getSubject()) : Optional.empty();
    }

    /** The session name carries over, as the chain is still the same person's work. */
    @Override
    public String defaultSessionName() {
        return String.valueOf(token.getOtherClaims().get(RoleSessionTokens.ROLE_SESSION_NAME));
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
