package io.github.keycloaksts.session;

import io.github.keycloaksts.compat.KeycloakInternals;
import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.store.RoleSnapshot;
import io.github.keycloaksts.store.RoleSnapshots;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a token is a live role session of a realm: one rule for introspection and caller identity. Live means:
 * signed by one of the realm's keys with a supported algorithm, issued by the realm, unexpired, not before the
 * realm's or its client's not-before, not revoked by Keycloak, its client enabled, its server-side record present
 * (per-session revocation deletes it), its role existing <em>with the id it was issued for</em> (a role deleted and
 * re-created under the same name is another role) and not having revoked its sessions since, its session KRN not
 * revoked since, and the user or service account that began its chain still existing and enabled (as Keycloak's
 * own tokens die with their user).
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
            return RoleSessionClaims.claimedBy(TokenVerifier.create(tokenStr, AccessToken.class).getToken());
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
        Optional<RoleSessionClaims> claims = RoleSessionClaims.read(token);
        if (claims.isEmpty()) {
            return new Result(token, "not a role session of a role (claims missing or malformed, or issued before"
                    + " this version)");
        }
        Optional<RoleSnapshot> role = Optional.of(claims.get().role())
                .filter(krn -> krn.realm().equals(realm.getName()))
                .flatMap(krn -> RoleSnapshots.find(session, realm.getId(), realm.getName(), krn.roleName()))
                .filter(found -> found.id().equals(claims.get().roleId()));
        if (role.isEmpty()) {
            return new Result(token, "role no longer exists (or was re-created under its name)");
        }
        if (token.getIat() <= role.get().sessionsRevokedAt()) {
            return new Result(token, "role sessions revoked");
        }
        String sessionName = claims.get().sessionName();
        if (RoleSessionRecords.sessionKrnRevokedAt(session, role.get().id(), sessionName).filter(at -> token.getIat() <= at).isPresent()) {
            return new Result(token, "sessions named " + RoleSessionClaims.sessionKrn(realm.getName(), role.get().name(), sessionName)
                    + " revoked");
        }
        String principalProblem = principalProblem(session, claims.get().origin());
        return new Result(token, principalProblem);
    }

    /** The user or service account that began the chain must still exist and be enabled, by its immutable id. */
    private static String principalProblem(KeycloakSession session, SessionOrigin origin) {
        if (origin.userId() == null) {
            return null; // an external identity: the provider's token was checked when the chain began
        }
        RealmModel home = session.realms().getRealm(origin.realmId());
        if (home == null || !home.isEnabled()) {
            return "the realm of the principal behind the session is gone or disabled";
        }
        UserModel user = session.users().getUserById(home, origin.userId());
        if (user == null || !user.isEnabled()) {
            return "the user behind the session was deleted or disabled";
        }
        if (user.getServiceAccountClientLink() != null) {
            ClientModel client = home.getClientById(user.getServiceAccountClientLink());
            if (client == null || !client.isEnabled()) {
                return "the client behind the session was deleted or disabled";
            }
        }
        return null;
    }
}
