package io.github.keycloaksts.sts;

import io.github.keycloaksts.facts.SessionOrigin;

import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.RoleUsageTracker;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.representations.AccessToken;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Role sessions chosen at sign-in (the role picker): the access token Keycloak built for the login is replaced by
 * a role session with the same claims and guarantees as one from AssumeRole: the role's grants only, {@code aud}
 * the clients they are for, {@code assumed_role}/{@code principal}/{@code role_session_name}, and a server-side
 * record so introspection and userinfo answer for it. It keeps the login's {@code jti}, subject, client,
 * authentication time and {@code sid} (Keycloak derives the refresh token from the access token, and a refresh
 * token without its session would be useless), but not its {@code scope} ({@link #scopeOf}). Because a token with a session would be taken by Keycloak's
 * session-backed endpoints as the user's own, {@link RoleSessionBoundaryFilter} accepts role sessions only where
 * the role's grants count (resource servers, userinfo, caller identity, introspection, revocation, role chaining)
 * and refuses them everywhere else (admin, account, client registration, authorization services, UMA and every
 * other grant): they cannot be traded for the user's own roles. The record names the user session, so the role session ends with the login.
 */
public final class SignInRoleSessions {

    private SignInRoleSessions() {
    }

    /**
     * @param issued    the token Keycloak built for the login (its protocol mappers have run)
     * @param expiresAt when the session chosen at sign-in ends, epoch seconds; the token never outlives it
     * @return the role session's token; it is recorded as live until it expires
     */
    public static AccessToken mint(KeycloakSession session, RealmModel realm, AccessToken issued, IamRoleEntity role,
                                   String roleKrn, String principal, String sessionName, String userSessionId,
                                   long expiresAt, SessionOrigin origin) {
        AccessToken token = new AccessToken();
        token.id(issued.getId());
        token.issuer(issued.getIssuer());
        token.subject(issued.getSubject());
        token.type(issued.getType());
        token.issuedFor(issued.getIssuedFor());
        token.iat(issued.getIat());
        token.exp(Math.min(issued.getExp() == null ? expiresAt : issued.getExp(), expiresAt));
        token.setAuth_time(issued.getAuth_time());
        token.setAcr(issued.getAcr());
        token.setScope(scopeOf(issued.getScope()));
        token.setSessionId(issued.getSessionId());
        audiences(realm, role.getGrantedRoleIds()).forEach(token::addAudience);
        RoleSessionTokens.grant(token, realm, role.getGrantedRoleIds());
        token.setOtherClaims(RoleSessionTokens.ASSUMED_ROLE, roleKrn);
        token.setOtherClaims(RoleSessionTokens.ASSUMED_ROLE_ID, role.getId());
        token.setOtherClaims(SessionOrigin.CLAIM, origin.toClaim());
        token.setOtherClaims(RoleSessionTokens.ROLE_SESSION_NAME, sessionName);
        token.setOtherClaims(RoleSessionTokens.PRINCIPAL, principal);
        int lifetime = (int) Math.max(1, token.getExp() - Time.currentTime());
        RoleSessionRecords.putForUserSession(session, token.getId(), roleKrn, userSessionId, lifetime);
        RoleUsageTracker.record(role.getId(), issued.getIssuedFor());
        return token;
    }

    /**
     * The role session's {@code scope}: {@code openid} when the login was an OpenID Connect one, else none. The
     * login's other scopes (profile, email, and any optional scope the client asked for) describe what the user let
     * the client see and do as the user; resource servers commonly authorize by {@code scope}, so carrying them
     * would hand the role session rights of the user beside the role's grants. A role session's permissions are its
     * roles only, as for AssumeRole sessions, which carry no scope. {@code openid} stays because Keycloak derives
     * the refresh token from this token, and a refresh without it would no longer be an OpenID Connect one (no ID
     * token); it grants nothing by itself.
     */
    static String scopeOf(String loginScope) {
        if (loginScope == null) {
            return null;
        }
        for (String scope : loginScope.trim().split("\\s+")) {
            if (scope.equals("openid")) {
                return "openid";
            }
        }
        return null;
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
        issued.setScope(scopeOf(issued.getScope()));
        issued.setAllowedOrigins(null);
        issued.getOtherClaims().put(RoleSessionTokens.ASSUMED_ROLE, NO_ROLE);
        return issued;
    }

    /** {@code assumed_role} of a sign-in client's token while no role session is chosen. */
    public static final String NO_ROLE = "";

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

    private static Set<String> audiences(RealmModel realm, Set<String> grantedRoleIds) {
        Set<String> clients = new LinkedHashSet<>();
        for (String roleId : grantedRoleIds) {
            RoleModel granted = realm.getRoleById(roleId);
            if (granted != null && granted.isClientRole()) {
                clients.add(((ClientModel) granted.getContainer()).getClientId());
            }
        }
        return clients;
    }
}
