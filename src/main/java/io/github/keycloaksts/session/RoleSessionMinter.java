package io.github.keycloaksts.session;

import io.github.keycloaksts.compat.KeycloakInternals;
import io.github.keycloaksts.role.PermissionNames;
import io.github.keycloaksts.store.GrantedRoles;
import io.github.keycloaksts.store.RoleUsageTracker;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

import java.util.Collection;

/**
 * The one place role-session tokens are made, for AssumeRole and for the role chosen at sign-in alike. The token is
 * built here rather than by Keycloak's protocol mappers, because mappers would add the caller's own roles: it
 * carries as permissions only the role's grants ({@link GrantedRoles}), {@code aud} the clients they are for, and
 * the typed {@link RoleSessionClaims}. Every minted session is recorded as live until it expires
 * ({@link RoleSessionRecords}) and counted as a use of its role ({@link RoleUsageTracker}).
 */
public final class RoleSessionMinter {

    private RoleSessionMinter() {
    }

    /**
     * A session of AssumeRole: a new token signed later with the realm's active key for access tokens. No user
     * session is created: there is no {@code sid} and no refresh token.
     *
     * @param subject {@code sub}: a user id of this realm when the principal is one, else the principal's KRN
     */
    public static AccessToken exchanged(KeycloakSession session, RealmModel realm, ClientModel requester, String subject,
                                        int durationSeconds, RoleSessionClaims claims, GrantedRoles granted,
                                        Collection<String> audiences, Collection<String> scopes) {
        long now = Time.currentTime();
        AccessToken token = new AccessToken();
        token.id(tokenId(session));
        token.issuer(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        token.subject(subject);
        token.type(TokenUtil.TOKEN_TYPE_BEARER);
        token.issuedFor(requester.getClientId());
        token.iat(now);
        token.exp(now + durationSeconds);
        if (!scopes.isEmpty()) {
            token.setScope(String.join(" ", scopes));
        }
        finish(token, claims, granted, audiences);
        RoleSessionRecords.put(session, token.getId(), claims.role().toString(), durationSeconds);
        RoleUsageTracker.record(claims.roleId(), requester.getClientId());
        return token;
    }

    /**
     * A session chosen at sign-in replaces the access token Keycloak built for the login. It keeps the login's
     * {@code jti}, subject, client, authentication time and {@code sid} (Keycloak derives the refresh token from the
     * access token, and a refresh token without its session would be useless), but not its scope
     * ({@link #signInScope}); its record names the user session, so the role session ends with the login.
     *
     * @param issued    the token Keycloak built for the login (its protocol mappers have run)
     * @param expiresAt when the session chosen at sign-in ends, epoch seconds; the token never outlives it
     */
    public static AccessToken signedIn(KeycloakSession session, AccessToken issued, long expiresAt, String userSessionId,
                                       RoleSessionClaims claims, GrantedRoles granted, Collection<String> roleAudiences,
                                       Collection<String> roleScopes) {
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
        token.setScope(signInScope(issued.getScope(), roleScopes));
        token.setSessionId(issued.getSessionId());
        java.util.Set<String> audiences = new java.util.LinkedHashSet<>(granted.clients());
        audiences.addAll(roleAudiences);
        finish(token, claims, granted, audiences);
        int lifetime = (int) Math.max(1, token.getExp() - Time.currentTime());
        RoleSessionRecords.putForUserSession(session, token.getId(), claims.role().toString(), userSessionId, lifetime);
        RoleUsageTracker.record(claims.roleId(), issued.getIssuedFor());
        return token;
    }

    private static void finish(AccessToken token, RoleSessionClaims claims, GrantedRoles granted,
                               Collection<String> audiences) {
        audiences.forEach(token::addAudience);
        PermissionNames names = granted.names();
        if (!names.realmRoles().isEmpty()) {
            AccessToken.Access realmAccess = new AccessToken.Access();
            names.realmRoles().forEach(realmAccess::addRole);
            token.setRealmAccess(realmAccess);
        }
        names.clientRoles().forEach((clientId, roles) -> roles.forEach(role -> token.addAccess(clientId).addRole(role)));
        claims.writeTo(token);
    }

    /**
     * The {@code scope} of a session chosen at sign-in: {@code openid} when the login was an OpenID Connect one,
     * else none. The login's other scopes (profile, email, and any optional scope the client asked for) describe what
     * the user let the client see and do as the user; resource servers commonly authorize by {@code scope}, so
     * carrying them would hand the role session rights of the user beside the role's grants. A role session's
     * permissions are its roles only (and the scopes its role names), as for AssumeRole sessions. {@code openid} stays because
     * Keycloak derives the refresh token from this token, and a refresh without it would no longer be an OpenID
     * Connect one (no ID token); it grants nothing by itself.
     */
    /** {@link #signInScope(String)} followed by the scopes the role names (a role session's scopes are its role's). */
    static String signInScope(String loginScope, Collection<String> roleScopes) {
        java.util.List<String> scopes = new java.util.ArrayList<>();
        String openid = signInScope(loginScope);
        if (openid != null) {
            scopes.add(openid);
        }
        roleScopes.stream().filter(scope -> !scopes.contains(scope)).forEach(scopes::add);
        return scopes.isEmpty() ? null : String.join(" ", scopes);
    }

    public static String signInScope(String loginScope) {
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
     * The {@code jti}, carrying Keycloak's token context: an online session type, which forbids a transient user
     * session. A plain id would read as "unknown" context, for which Keycloak builds a transient session for
     * {@code sub} and so accepts the token as the user's own (standard token exchange, account API, userinfo):
     * a role session could be traded back for the caller's full rights. With this context, and no {@code sid},
     * every Keycloak endpoint refuses it (user session not found); only our introspection answers for it.
     */
    private static String tokenId(KeycloakSession session) {
        return KeycloakInternals.onlineTokenExchangeTokenId(session);
    }
}
