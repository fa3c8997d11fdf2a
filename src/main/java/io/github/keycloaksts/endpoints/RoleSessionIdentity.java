package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.session.RoleChain;
import io.github.keycloaksts.session.RoleSessionClaims;

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
        RoleSessionClaims claims = RoleSessionClaims.read(token).orElseThrow();
        RoleChain chain = claims.chainSoFar(token.getExp());
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("principal", claims.principal().toString());
        identity.put("realm", realm.getName());
        identity.put("assumedRole", claims.role().toString());
        identity.put("session", claims.sessionKrn().toString());
        identity.put("roleSessionName", claims.sessionName());
        // The chain, first session first, ending with this one; a session assumed directly is a chain of one.
        identity.put("chain", chain.links());
        claims.sourceIdentity().ifPresent(sourceIdentity -> identity.put("sourceIdentity", sourceIdentity));
        if (!claims.sessionTags().isEmpty()) {
            identity.put("sessionTags", claims.sessionTags());
            identity.put("transitiveTagKeys", claims.transitiveTagKeys());
        }
        identity.put("subject", token.getSubject());
        identity.put("clientId", token.getIssuedFor());
        identity.put("tokenId", token.getId());
        identity.put("expiresAt", Instant.ofEpochSecond(token.getExp()).toString());
        return identity;
    }
}
