package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.principal.PrincipalFacts;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.events.Details;
import io.github.keycloaksts.broker.AssertedClaims;
import org.keycloak.representations.AccessToken;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The caller of an exchange presenting its own token, after it was verified: the realm that issued the token, the
 * user (or a client's service-account user), and the verified token.
 *
 * @param serviceAccountOf the client whose service account the user is, or null for a person
 * @param userSession      the user session behind the token
 */
record VerifiedSubject(RealmModel realm, UserModel user, ClientModel serviceAccountOf, AccessToken token,
                       UserSessionModel userSession) implements Caller {

    @Override
    public Krn principal() {
        return serviceAccountOf != null
                ? Krn.client(realm.getName(), serviceAccountOf.getClientId())
                : Krn.user(realm.getName(), user.getUsername());
    }

    /** Facts of the verified principal, plus those its token carries (authentication strength and time). */
    @Override
    public AccessRequest.Builder facts(RealmModel target, Predicate<String> wanted) {
        AccessRequest.Builder facts = serviceAccountOf != null
                ? PrincipalFacts.ofClient(realm, serviceAccountOf, user, wanted)
                : PrincipalFacts.ofUser(realm, user, principal(), wanted);
        facts.fromOtherRealm(!realm.getId().equals(target.getId()));
        if (token.getAcr() != null) {
            facts.value("kc:Acr", token.getAcr());
        }
        if (token.getAuth_time() != null && token.getAuth_time() > 0) {
            facts.value("kc:AuthTime", Instant.ofEpochSecond(token.getAuth_time()).toString());
        }
        Authentication.of(token).apply(facts);
        brokered(facts);
        return facts;
    }

    /**
     * A session that came through an identity provider (Keycloak's {@code identity_provider} session note, set at
     * brokered login) is also that provider's principal, and carries what the provider asserted at that login
     * ({@link AssertedClaims}) as {@code <alias>:<claim>}. A user merely linked to a provider, who logged in
     * otherwise, is not.
     */
    private void brokered(AccessRequest.Builder facts) {
        String provider = userSession == null ? null : userSession.getNote(Details.IDENTITY_PROVIDER);
        if (provider == null || provider.isBlank()) {
            return;
        }
        facts.principal(Krn.identityProvider(realm.getName(), provider)).value("kc:IdentityProvider", provider);
        AssertedClaims.of(userSession).forEach((claim, values) -> facts.value(provider + ":" + claim, values));
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
    public Optional<RoleChain> chain() {
        return Optional.empty();
    }
}
