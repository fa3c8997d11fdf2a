package io.github.keycloaksts.sts;

import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who the bearer of a live role session is (AWS GetCallerIdentity for an assumed role): the principal behind it,
 * the role, the session's KRN, and, beyond AWS, the whole chain that led to it, its tags and source identity.
 */
public final class RoleSessionIdentity {

    private RoleSessionIdentity() {
    }

    /** @param token a role session of {@code realm} that {@link RoleSessionValidator} found live */
    public static Map<String, Object> of(RealmModel realm, AccessToken token) {
        PriorSession session = PriorSession.of(realm, token);
        Map<String, Object> claims = token.getOtherClaims();
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("principal", session.principal().toString());
        identity.put("realm", realm.getName());
        identity.put("assumedRole", session.role().toString());
        identity.put("session", session.session().toString());
        identity.put("roleSessionName", claims.get(RoleSessionTokens.ROLE_SESSION_NAME));
        // The chain, first session first, ending with this one; a session assumed directly is a chain of one.
        identity.put("chain", session.chainSoFar().links());
        session.chainSoFar().sourceIdentity().ifPresent(sourceIdentity -> identity.put("sourceIdentity", sourceIdentity));
        if (claims.containsKey(RoleSessionTokens.SESSION_TAGS)) {
            identity.put("sessionTags", RoleSessionTokens.sessionTags(claims));
            identity.put("transitiveTagKeys", RoleSessionTokens.transitiveTagKeys(claims));
        }
        identity.put("subject", token.getSubject());
        identity.put("clientId", token.getIssuedFor());
        identity.put("tokenId", token.getId());
        identity.put("expiresAt", Instant.ofEpochSecond(token.getExp()).toString());
        return identity;
    }
}
