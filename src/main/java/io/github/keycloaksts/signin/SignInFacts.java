package io.github.keycloaksts.signin;

import io.github.keycloaksts.broker.AssertedClaims;
import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.principal.PrincipalFacts;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.utils.AmrUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trust-policy facts of a user signing in, from the login itself rather than a token: the same principal and
 * {@code kc:} facts AssumeRole sees for that user's token (groups, attributes, federation link), the identity
 * provider the login came through and what it asserted, the authentication (second factor, age), and the request
 * ({@code kc:ClientId} of the application signed in to, {@code kc:SourceIp}, {@code sts:RoleSessionName}).
 */
final class SignInFacts {

    /**
     * Authenticators that are a second factor (RFC 8176 "otp", "hwk"/"swk" for WebAuthn); completing one makes
     * {@code kc:MultiFactorAuthPresent} true, as an {@code amr} naming one does for AssumeRole.
     */
    private static final Set<String> SECOND_FACTOR_AUTHENTICATORS = Set.of("auth-otp-form", "webauthn-authenticator",
            "webauthn-authenticator-passwordless", "auth-recovery-authn-code-form", "conditional-otp-form");
    private static final Set<String> SECOND_FACTOR_AMR = Set.of("otp", "hwk", "swk", "mfa", "mca", "fido", "sms", "webauthn");

    private SignInFacts() {
    }

    /**
     * @param existing the user session this login continues (SSO, or an application's "switch role"), or null
     */
    static AccessRequest.Builder of(KeycloakSession session, RealmModel realm, UserModel user,
                                    AuthenticationSessionModel authSession, UserSessionModel existing, String sessionName) {
        Map<String, String> notes = new HashMap<>();
        if (existing != null) {
            notes.putAll(existing.getNotes());
        }
        notes.putAll(authSession.getUserSessionNotes());

        AccessRequest.Builder facts = PrincipalFacts.ofUser(realm, user, Krn.user(realm.getName(), user.getUsername()),
                PrincipalFacts.ALL).fromOtherRealm(false);
        String provider = notes.get(Details.IDENTITY_PROVIDER);
        if (provider != null && !provider.isBlank()) {
            facts.principal(Krn.identityProvider(realm.getName(), provider)).value("kc:IdentityProvider", provider);
            AssertedClaims.of(notes).forEach((claim, values) -> facts.value(provider + ":" + claim, values));
        }
        authentication(realm, notes, existing, facts);
        return facts.value("kc:ClientId", authSession.getClient().getClientId())
                .value("kc:SourceIp", session.getContext().getConnection().getRemoteAddr())
                .value("sts:RoleSessionName", sessionName)
                .value("sts:ExternalId", List.of())
                .value("sts:SourceIdentity", List.of())
                .value("kc:TagKeys", List.of())
                .action("sts:AssumeRole");
    }

    /** Which authenticators this login (and the SSO session it continues) completed, and when. */
    private static void authentication(RealmModel realm, Map<String, String> notes, UserSessionModel existing,
                                       AccessRequest.Builder facts) {
        Map<String, Integer> completed = AuthenticatorUtils.parseCompletedExecutions(notes.get(Constants.AUTHENTICATORS_COMPLETED));
        List<String> amr = AmrUtils.getAuthenticationExecutionReferences(completed, realm);
        Integer secondFactorAt = null;
        for (Map.Entry<String, Integer> execution : completed.entrySet()) {
            AuthenticationExecutionModel model = realm.getAuthenticationExecutionById(execution.getKey());
            if (model != null && SECOND_FACTOR_AUTHENTICATORS.contains(model.getAuthenticator())) {
                secondFactorAt = secondFactorAt == null ? execution.getValue() : Math.max(secondFactorAt, execution.getValue());
            }
        }
        boolean multiFactor = secondFactorAt != null || amr.stream().anyMatch(SECOND_FACTOR_AMR::contains);
        facts.value("kc:Amr", amr).value("kc:MultiFactorAuthPresent", String.valueOf(multiFactor));
        long authTime = existing != null ? existing.getStarted() : Time.currentTime();
        facts.value("kc:AuthTime", Instant.ofEpochSecond(authTime).toString());
        if (multiFactor) {
            long at = secondFactorAt != null ? secondFactorAt : authTime;
            facts.value("kc:MultiFactorAuthAge", String.valueOf(Math.max(0, Time.currentTime() - at)));
        }
    }
}
