package io.github.keycloaksts.sts;

import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.encode.AccessTokenContext;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

import java.util.List;

/**
 * Mints the access token of a role session. The token is built here rather than by Keycloak's protocol mappers,
 * because mappers would add the caller's own roles; it carries as permissions only the role's grants, and is
 * signed with the realm's active key for access tokens ({@code session.tokens().encode}). No user session is
 * created and nothing is written: there is no {@code sid} and no refresh token.
 */
final class RoleSessionTokens {

    static final String ASSUMED_ROLE = "assumed_role";
    static final String ROLE_SESSION_NAME = "role_session_name";
    static final String PRINCIPAL = "principal";
    static final String SESSION_TAGS = "session_tags";
    static final String TRANSITIVE_TAG_KEYS = "transitive_tag_keys";
    static final String SOURCE_IDENTITY = "source_identity";

    private RoleSessionTokens() {
    }

    static AccessToken build(KeycloakSession session, RealmModel realm, ClientModel requester, RoleSession roleSession) {
        long now = Time.currentTime();
        AccessToken token = new AccessToken();
        token.id(tokenId(session));
        token.issuer(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        token.subject(subject(realm, roleSession));
        token.type(TokenUtil.TOKEN_TYPE_BEARER);
        token.issuedFor(requester.getClientId());
        token.iat(now);
        token.exp(now + roleSession.durationSeconds());
        roleSession.audiences().forEach(token::addAudience);
        for (String roleId : roleSession.grantedRoleIds()) {
            RoleModel granted = realm.getRoleById(roleId);
            if (granted == null) {
                continue;
            }
            if (granted.isClientRole()) {
                token.addAccess(((ClientModel) granted.getContainer()).getClientId()).addRole(granted.getName());
            } else {
                AccessToken.Access realmAccess = token.getRealmAccess() == null ? new AccessToken.Access() : token.getRealmAccess();
                realmAccess.addRole(granted.getName());
                token.setRealmAccess(realmAccess);
            }
        }
        token.setOtherClaims(ASSUMED_ROLE, roleSession.roleKrn());
        token.setOtherClaims(ROLE_SESSION_NAME, roleSession.sessionName());
        token.setOtherClaims(PRINCIPAL, roleSession.principal().toString());
        if (!roleSession.sessionTags().isEmpty()) {
            token.setOtherClaims(SESSION_TAGS, roleSession.sessionTags());
        }
        if (!roleSession.transitiveTagKeys().isEmpty()) {
            token.setOtherClaims(TRANSITIVE_TAG_KEYS, List.copyOf(roleSession.transitiveTagKeys()));
        }
        roleSession.sourceIdentity().ifPresent(identity -> token.setOtherClaims(SOURCE_IDENTITY, identity));
        return token;
    }

    /**
     * The {@code jti}, carrying Keycloak's token context: an online session type, which forbids a transient user
     * session. A plain id would read as "unknown" context, for which Keycloak builds a transient session for
     * {@code sub} and so accepts the token as the user's own (standard token exchange, account API, userinfo):
     * a role session could be traded back for the caller's full rights. With this context, and no {@code sid},
     * every Keycloak endpoint refuses it (user session not found); only our introspection answers for it.
     */
    static String tokenId(KeycloakSession session) {
        return session.getProvider(TokenContextEncoderProvider.class).encodeTokenId(new AccessTokenContext(
                AccessTokenContext.SessionType.ONLINE, AccessTokenContext.TokenType.REGULAR,
                OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE, KeycloakModelUtils.generateId()));
    }

    /**
     * {@code sub}: the user id for a user or service account of the role's own realm (what resource servers
     * already key on); for a principal of another realm, which has no user here, its KRN.
     */
    static String subject(RealmModel realm, RoleSession roleSession) {
        return roleSession.subject().realm().getId().equals(realm.getId())
                ? roleSession.subject().user().getId() : roleSession.principal().toString();
    }
}
