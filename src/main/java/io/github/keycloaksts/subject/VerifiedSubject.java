package io.github.keycloaksts.subject;

import io.github.keycloaksts.session.RoleChain;
import io.github.keycloaksts.session.SessionNames;

import io.github.keycloaksts.facts.AssertedClaims;
import io.github.keycloaksts.facts.Authentication;
import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.facts.Origin;
import io.github.keycloaksts.facts.PrincipalFacts;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The caller of an exchange presenting its own token, after it was verified: the realm that issued the token, the
 * user (or a client's service-account user), and the verified token.
 *
 * @param serviceAccountOf the client whose service account the user is, or null for a person
 * @param userSession      the user session behind the token
 */
public record VerifiedSubject(RealmModel realm, UserModel user, ClientModel serviceAccountOf, AccessToken token,
                       UserSessionModel userSession) implements Caller {

    @Override
    public Krn principal() {
        return serviceAccountOf != null
                ? Krn.client(realm.getName(), serviceAccountOf.getClientId())
                : Krn.user(realm.getName(), user.getUsername());
    }

    /**
     * Facts of the verified principal, plus those its token carries (authentication strength and time), and for a
     * session that came through an identity provider (Keycloak's {@code identity_provider} session note, set at
     * brokered login) that provider as a principal with what it asserted at that login ({@link AssertedClaims}). A
     * user merely linked to a provider, who logged in otherwise, is not.
     */
    @Override
    public CallerFacts facts(KeycloakSession session, RealmModel target, Predicate<String> wanted) {
        CallerFacts.Builder facts = serviceAccountOf != null
                ? PrincipalFacts.ofServiceAccount(realm, target, serviceAccountOf, user, wanted)
                : PrincipalFacts.ofUser(realm, target, user, wanted);
        Authentication.of(token).apply(facts);
        brokeredBy().ifPresent(provider ->
                PrincipalFacts.brokered(session, facts, realm, provider, AssertedClaims.of(userSession)));
        return facts.build();
    }

    @Override
    public SessionOrigin origin(RealmModel target) {
        Origin origin = serviceAccountOf != null ? Origin.SERVICE_ACCOUNT : Origin.USER;
        return new SessionOrigin(realm.getId().equals(target.getId()) ? origin : origin.seenFromOtherRealm(),
                realm.getId(), user.getId(), brokeredBy(), Authentication.of(token));
    }

    private Optional<String> brokeredBy() {
        return userSession == null ? Optional.empty() : AssertedClaims.brokeredBy(userSession.getNotes());
    }

    @Override
    public String subject(RealmModel target) {
        return realm.getId().equals(target.getId()) ? user.getId() : principal().toString();
    }

    @Override
    public Optional<String> localUserId(RealmModel target) {
        return realm.getId().equals(target.getId()) ? Optional.of(user.getId()) : Optional.empty();
    }

    /** AWS derives nothing; we default to the username (or client id), made to fit the session-name rules. */
    @Override
    public String defaultSessionName() {
        return SessionNames.derivedFrom(serviceAccountOf != null ? serviceAccountOf.getClientId() : user.getUsername());
    }

    @Override
    public Optional<String> subjectClientId() {
        return Optional.ofNullable(token.getIssuedFor());
    }

    @Override
    public Optional<RoleChain> chain() {
        return Optional.empty();
    }
}
