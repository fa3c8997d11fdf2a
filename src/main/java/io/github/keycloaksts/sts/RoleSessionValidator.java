package io.github.keycloaksts.sts;

import io.github.keycloaksts.compat.KeycloakInternals;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.RoleSnapshot;
import io.github.keycloaksts.store.RoleSnapshots;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a token is a live role session of a realm: one rule for introspection and caller identity. Live means:
 * signed by one of the realm's keys with a supported algorithm, issued by the realm, unexpired, not before the
 * realm's or its client's not-before, not revoked by Keycloak, its client enabled, its server-side record present
 * (per-session revocation deletes it), its role existing and not having revoked its sessions since, and its
 * session KRN not revoked since.
 */
public final class RoleSessionValidator {

    /** Why a token is not a live role session, for events; never shown to the caller beyond "invalid". */
    public record Result(AccessToken token, String problem) {
        public boolean live() {
            return problem == null;
        }
    }

    private RoleSessionValidator() {
    }

    /** True when the token claims to be a role session (unverified; only to route it). */
    public static boolean claimsToBeRoleSession(String tokenStr) {
        try {
            return TokenVerifier.create(tokenStr, AccessToken.class).getToken().getOtherClaims()
                    .containsKey(RoleSessionTokens.ASSUMED_ROLE);
        } catch (VerificationException | RuntimeException e) {
            return false;
        }
    }

    public static Result validate(KeycloakSession session, RealmModel realm, String tokenStr) {
        AccessToken token;
        try {
            TokenVerifier<AccessToken> verifier = TokenVerifier.create(tokenStr, AccessToken.class)
                    .realmUrl(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
            verifier.verifierContext(KeycloakInternals.signatureVerifier(session, verifier.getHeader().getAlgorithm().name(),
                    verifier.getHeader().getKeyId()));
            token = verifier.verify().getToken();
        } catch (VerificationException | RuntimeException e) {
            return new Result(null, "signature, issuer or expiry check failed");
        }
        ClientModel client = realm.getClientByClientId(token.getIssuedFor());
        if (client == null || !client.isEnabled()) {
            return new Result(token, "client missing or disabled");
        }
        try {
            TokenVerifier.createWithoutSignature(token).withChecks(TokenManager.NotBeforeCheck.forModel(realm),
                    TokenManager.NotBeforeCheck.forModel(client), TokenVerifier.IS_ACTIVE,
                    new TokenManager.TokenRevocationCheck(session)).verify();
        } catch (VerificationException e) {
            return new Result(token, "expired, not yet valid or revoked by Keycloak");
        }
        Optional<Map<String, String>> record = RoleSessionRecords.find(session, token.getId());
        if (record.isEmpty()) {
            return new Result(token, "role session revoked or unknown");
        }
        Optional<String> userSession = RoleSessionRecords.userSessionOf(record.get());
        if (userSession.isPresent() && session.sessions().getUserSession(realm, userSession.get()) == null) {
            return new Result(token, "the sign-in session it was chosen in has ended");
        }
        Optional<RoleSnapshot> role = Krn.parse(String.valueOf(token.getOtherClaims().get(RoleSessionTokens.ASSUMED_ROLE)))
                .filter(krn -> krn.realm().equals(realm.getName()))
                .flatMap(krn -> RoleSnapshots.find(session, realm.getId(), realm.getName(), krn.roleName()));
        if (role.isEmpty()) {
            return new Result(token, "role no longer exists");
        }
        if (token.getIat() <= role.get().sessionsRevokedAt()) {
            return new Result(token, "role sessions revoked");
        }
        String sessionKrn = RoleSessionTokens.sessionKrn(realm.getName(), role.get().name(),
                String.valueOf(token.getOtherClaims().get(RoleSessionTokens.ROLE_SESSION_NAME))).toString();
        if (RoleSessionRecords.sessionKrnRevokedAt(session, sessionKrn).filter(at -> token.getIat() <= at).isPresent()) {
            return new Result(token, "sessions named " + sessionKrn + " revoked");
        }
        return new Result(token, null);
    }
}
