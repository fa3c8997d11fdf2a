package io.github.keycloaksts.signin;

import io.github.keycloaksts.facts.SessionOrigin;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.session.RoleSessionClaims;
import io.github.keycloaksts.session.RoleSessionMinter;
import io.github.keycloaksts.session.RoleSessionRecords;
import io.github.keycloaksts.session.SessionNames;
import io.github.keycloaksts.store.GrantedRoles;
import io.github.keycloaksts.store.RoleTargets;
import io.github.keycloaksts.store.IamRoleEntity;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;

import java.util.Optional;

/**
 * Role sessions chosen at sign-in (the role picker): the access token Keycloak built for the login is replaced by
 * a role session with the same claims and guarantees as one from AssumeRole: the role's grants only, {@code aud}
 * the clients they are for, {@code assumed_role}/{@code principal}/{@code role_session_name}, and a server-side
 * record so introspection and userinfo answer for it. It keeps the login's {@code jti}, subject, client,
 * authentication time and {@code sid} (Keycloak derives the refresh token from the access token, and a refresh
 * token without its session would be useless), but not its {@code scope} ({@link RoleSessionMinter#signInScope}).
 * Because a token with a session would be taken by Keycloak's session-backed endpoints as the user's own, the
 * endpoints' boundary filter ({@code endpoints.RoleSessionBoundaryFilter}) accepts role sessions only where the
 * role's grants count (resource servers, userinfo, caller identity, introspection, revocation, role chaining) and
 * refuses them everywhere else (admin, account, client registration, authorization services, UMA and every other
 * grant): they cannot be traded for the user's own roles. The record names the user session, so the role session
 * ends with the login.
 */
public final class SignInRoleSessions {

    private SignInRoleSessions() {
    }

    /**
     * @param issued    the token Keycloak built for the login (its protocol mappers have run)
     * @param expiresAt when the session chosen at sign-in ends, epoch seconds; the token never outlives it
     * @return the role session's token ({@link RoleSessionMinter#signedIn}); it is recorded as live until it expires
     */
    public static AccessToken mint(KeycloakSession session, RealmModel realm, AccessToken issued, IamRoleEntity role,
                                   Krn roleKrn, Krn principal, String sessionName, String userSessionId,
                                   long expiresAt, SessionOrigin origin) {
        return RoleSessionMinter.signedIn(session, issued, expiresAt, userSessionId,
                RoleSessionClaims.signIn(roleKrn, role.getId(), sessionName, principal, origin),
                GrantedRoles.of(realm, role.getGrantedRoleIds()), RoleTargets.audiences(realm, role.getAudienceIds()),
                RoleTargets.scopes(realm, role.getScopeIds()));
    }

    /**
     * A login of a client set up for role sessions that has none (no role was chosen, or the chosen one has ended,
     * been revoked or deleted): the token carries no permissions at all and is a role session of <em>no</em> role
     * ({@code assumed_role} empty, and no record): every liveness question answers "not live" and the boundary
     * refuses it wherever Keycloak would act with the user's own rights. Deny by default: such a client must never
     * hold a token of the user, which it could trade (AssumeRole as the user, the UMA grant) for the user's rights.
     */
    public static AccessToken withoutPermissions(AccessToken issued) {
        issued.setRealmAccess(null);
        issued.setResourceAccess(null);
        issued.audience((String[]) null);
        issued.setAuthorization(null);
        // Nothing a resource server might authorize by either: no scope but openid, no origins.
        issued.setScope(RoleSessionMinter.signInScope(issued.getScope()));
        issued.setAllowedOrigins(null);
        RoleSessionClaims.markNoRole(issued);
        return issued;
    }

    /** Whether sessions of this role, or of this session KRN, named at {@code chosenAt}, were revoked since. */
    public static boolean revokedSince(KeycloakSession session, RealmModel realm, IamRoleEntity role, String sessionName,
                                       long chosenAt) {
        if (chosenAt <= role.getSessionsRevokedAt()) {
            return true;
        }
        Optional<Long> revoked = RoleSessionRecords.sessionKrnRevokedAt(session, role.getId(), sessionName);
        return revoked.filter(at -> chosenAt <= at).isPresent();
    }

    /** The default session name for a user: the username, made to fit the session-name rules (as AssumeRole). */
    public static String sessionNameFor(String username) {
        return SessionNames.derivedFrom(username);
    }
}
