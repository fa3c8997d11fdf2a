package io.github.keycloaksts.signin;

import io.github.keycloaksts.facts.AssertedClaims;
import io.github.keycloaksts.facts.Authentication;
import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.facts.PrincipalFacts;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.utils.AmrUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trust-policy facts of a user signing in, from the login itself rather than a token: the same principal and
 * {@code kc:} facts AssumeRole sees for that user's token ({@link PrincipalFacts}: groups, attributes, federation
 * link, identity provider and what it asserted), the authentication (second factor, age), and the request
 * ({@code kc:ClientId} of the application signed in to, {@code kc:SourceIp}, {@code sts:RoleSessionName}).
 */
final class SignInFacts {

    private SignInFacts() {
    }

    /**
     * @param existing the user session this login continues (SSO, or an application's "switch role"), or null
     */
    static CallerFacts of(KeycloakSession session, RealmModel realm, UserModel user,
                          AuthenticationSessionModel authSession, UserSessionModel existing, String sessionName) {
        Map<String, String> notes = new HashMap<>();
        if (existing != null) {
            notes.putAll(existing.getNotes());
        }
        notes.putAll(authSession.getUserSessionNotes());

        CallerFacts.Builder facts = PrincipalFacts.ofUser(realm, realm, user, PrincipalFacts.ALL);
        AssertedClaims.brokeredBy(notes).ifPresent(provider ->
                PrincipalFacts.brokered(session, facts, realm, provider, AssertedClaims.of(notes)));
        authentication(realm, notes, existing == null ? null : (long) existing.getStarted()).apply(facts);
        return facts.value("kc:ClientId", authSession.getClient().getClientId())
                .value("kc:SourceIp", session.getContext().getConnection().getRemoteAddr())
                .value("sts:RoleSessionName", sessionName)
                .build();
    }

    /**
     * Which authenticators a login (and the SSO session it continues) completed, and when: a second factor among
     * them makes {@code kc:MultiFactorAuthPresent} true, as an {@code amr} naming one does for AssumeRole.
     *
     * @param startedAt when the user session began, or null for a login that starts one now
     */
    static Authentication authentication(RealmModel realm, Map<String, String> notes, Long startedAt) {
        Map<String, Integer> completed = AuthenticatorUtils.parseCompletedExecutions(notes.get(Constants.AUTHENTICATORS_COMPLETED));
        List<String> amr = AmrUtils.getAuthenticationExecutionReferences(completed, realm);
        Long secondFactorAt = null;
        for (Map.Entry<String, Integer> execution : completed.entrySet()) {
            AuthenticationExecutionModel model = realm.getAuthenticationExecutionById(execution.getKey());
            if (model != null && Authentication.SECOND_FACTOR_AUTHENTICATORS.contains(model.getAuthenticator())) {
                long at = execution.getValue();
                secondFactorAt = secondFactorAt == null ? at : Math.max(secondFactorAt, at);
            }
        }
        boolean multiFactor = secondFactorAt != null || amr.stream().anyMatch(Authentication.SECOND_FACTOR_AMR::contains);
        long authTime = startedAt != null ? startedAt : Time.currentTime();
        return new Authentication(amr, null, multiFactor, authTime, secondFactorAt);
    }
}
