package io.github.keycloaksts.sts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Introspection (RFC 7662) of role-session tokens. Keycloak's own introspection rebuilds claims from the user
 * session and its protocol mappers, which for a role session would drop the role's permissions and bring back the
 * caller's own roles; and a role session has no user session at all. So: tokens without our {@code assumed_role}
 * claim go to Keycloak unchanged; ours are verified here (signature with the realm's keys, issuer, expiry,
 * not-before, revocation, enabled client), must still have their server-side record, must name the introspecting
 * client in {@code aud} (Keycloak 26.7's rule), and are answered with exactly the claims of the JWT.
 */
final class RoleSessionIntrospectionProvider extends AccessTokenIntrospectionProvider<AccessToken> {

    RoleSessionIntrospectionProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    public Response introspect(String tokenStr, EventBuilder eventBuilder) {
        if (!isRoleSession(tokenStr)) {
            return super.introspect(tokenStr, eventBuilder);
        }
        this.eventBuilder = eventBuilder;
        try {
            ObjectNode metadata;
            if (verifyToken(tokenStr) && verifyClient() && recorded() && introspectorInAudience()) {
                metadata = JsonSerialization.createObjectNode(token);
                metadata.put("client_id", token.getIssuedFor());
                metadata.put("token_type", token.getType());
                metadata.put("active", true);
                eventBuilder.detail("assumed_role", String.valueOf(token.getOtherClaims().get(RoleSessionTokens.ASSUMED_ROLE)))
                        .success();
            } else {
                metadata = JsonSerialization.createObjectNode();
                metadata.put("active", false);
            }
            return Response.ok(JsonSerialization.writeValueAsBytes(metadata)).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the claims without verifying: only to route; ours are verified fully below. */
    private static boolean isRoleSession(String tokenStr) {
        try {
            return TokenVerifier.create(tokenStr, AccessToken.class).getToken().getOtherClaims()
                    .containsKey(RoleSessionTokens.ASSUMED_ROLE);
        } catch (VerificationException | RuntimeException e) {
            return false;
        }
    }

    private boolean recorded() {
        if (RoleSessionRecords.exists(session, token.getId())) {
            return true;
        }
        eventBuilder.detail(Details.REASON, "role session revoked or unknown").error(Errors.INVALID_TOKEN);
        return false;
    }

    private boolean introspectorInAudience() {
        ClientModel introspector = session.getContext().getClient();
        if (token.getAudience() != null && Arrays.asList(token.getAudience()).contains(introspector.getClientId())) {
            return true;
        }
        eventBuilder.detail(Details.REASON, "client '" + introspector.getClientId() + "' is not in the token audience")
                .error(Errors.INVALID_TOKEN);
        return false;
    }
}
