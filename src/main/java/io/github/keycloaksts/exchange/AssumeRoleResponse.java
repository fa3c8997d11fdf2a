package io.github.keycloaksts.exchange;

import io.github.keycloaksts.role.RoleLimits;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.representations.AccessToken;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The token response of a granted AssumeRole. */
final class AssumeRoleResponse {

    private AssumeRoleResponse() {
    }

    static Response.ResponseBuilder of(String accessToken, RoleSession roleSession, AssumeRoleRequest request, AccessToken token) {
        return Response.ok(body(accessToken, roleSession, request, token), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore()).header("Pragma", "no-cache");
    }

    /**
     * RFC 8693 §2.2.1, plus what the session was granted (a session policy may have narrowed it) and how much of
     * the session-policy and tag budgets the request used. No refresh token: a role session ends when its token
     * expires.
     */
    private static Map<String, Object> body(String accessToken, RoleSession roleSession, AssumeRoleRequest request,
                                                AccessToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("issued_token_type", AssumeRoleContract.ISSUED_TOKEN_TYPE);
        body.put("token_type", "Bearer");
        body.put("expires_in", roleSession.durationSeconds());
        // RFC 8693 §2.2.1: scope is required when it differs from the requested one; always sent when there is one.
        if (!roleSession.scopes().isEmpty()) {
            body.put("scope", String.join(" ", roleSession.scopes()));
        }
        Map<String, Object> granted = new LinkedHashMap<>();
        granted.put("realmRoles", token.getRealmAccess() == null ? List.of() : token.getRealmAccess().getRoles());
        Map<String, Object> clientRoles = new LinkedHashMap<>();
        if (token.getResourceAccess() != null) {
            token.getResourceAccess().forEach((client, access) -> clientRoles.put(client, access.getRoles()));
        }
        granted.put("clientRoles", clientRoles);
        body.put("granted_permissions", granted);
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("session_policy_bytes", request.sessionPolicyBytes());
        budget.put("session_policy_max_bytes", AssumeRoleRequest.SESSION_POLICY_MAX_BYTES);
        budget.put("session_tags", request.sessionTags().size());
        budget.put("session_tags_max", RoleLimits.TAGS_MAX);
        body.put("session_budget", budget);
        return body;
    }

    /** RFC 6749 §5.1: responses carrying tokens must not be cached. */
    private static CacheControl noStore() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        return cacheControl;
    }
}
