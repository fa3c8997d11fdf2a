package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.session.RoleSessionClaims;
import io.github.keycloaksts.session.RoleSessionValidator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Introspection (RFC 7662) of role-session tokens, for every {@code token_type_hint}: Keycloak picks the
 * introspection provider by the hint ({@code access_token} when absent, {@code refresh_token},
 * {@code requesting_party_token}) and each of those ids is ours (see the factories), so a role session is answered
 * by one rule whatever the caller says it is. Keycloak's own introspection rebuilds claims from the user session and
 * its protocol mappers, which for a role session would drop the role's permissions and bring back the caller's own
 * roles; and a role session from AssumeRole has no user session at all. So: tokens without our {@code assumed_role}
 * claim go to Keycloak's provider for the hint unchanged; ours must be live ({@link RoleSessionValidator}) and name
 * the introspecting client in {@code aud} (Keycloak 26.7's rule), and are answered with exactly the claims of the JWT.
 */
final class RoleSessionIntrospectionProvider extends AccessTokenIntrospectionProvider<AccessToken> {

    /** Keycloak's provider for the hint, or null for {@code access_token}, which is this class's superclass. */
    private final TokenIntrospectionProvider keycloaks;

    /**
     * @param keycloaks Keycloak's own provider for the same hint, for every token that is not a role session; null
     *                  for {@code access_token}: Keycloak's own code casts that provider to
     *                  {@link AccessTokenIntrospectionProvider} (the account API does), so it is one and delegates
     *                  to itself
     */
    RoleSessionIntrospectionProvider(KeycloakSession session, TokenIntrospectionProvider keycloaks) {
        super(session);
        this.keycloaks = keycloaks;
    }

    @Override
    public Response introspect(String tokenStr, EventBuilder eventBuilder) {
        if (!RoleSessionValidator.claimsToBeRoleSession(tokenStr)) {
            return keycloaks == null ? super.introspect(tokenStr, eventBuilder) : keycloaks.introspect(tokenStr, eventBuilder);
        }
        try {
            ObjectNode metadata;
            RoleSessionValidator.Result result = RoleSessionValidator.validate(session, realm, tokenStr);
            if (result.live() && introspectorInAudience(result.token(), eventBuilder)) {
                AccessToken token = result.token();
                metadata = JsonSerialization.createObjectNode(token);
                metadata.put("client_id", token.getIssuedFor());
                metadata.put("token_type", token.getType());
                metadata.put("active", true);
                eventBuilder.detail(Details.TOKEN_ID, token.getId())
                        .detail("assumed_role", RoleSessionClaims.claimedRole(token))
                        .success();
            } else {
                if (!result.live()) {
                    eventBuilder.detail(Details.REASON, result.problem()).error(Errors.INVALID_TOKEN);
                }
                metadata = JsonSerialization.createObjectNode();
                metadata.put("active", false);
            }
            return Response.ok(JsonSerialization.writeValueAsBytes(metadata)).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (keycloaks != null) {
            keycloaks.close();
        }
        super.close();
    }

    private boolean introspectorInAudience(AccessToken token, EventBuilder eventBuilder) {
        ClientModel introspector = session.getContext().getClient();
        if (token.getAudience() != null && Arrays.asList(token.getAudience()).contains(introspector.getClientId())) {
            return true;
        }
        eventBuilder.detail(Details.REASON, "client '" + introspector.getClientId() + "' is not in the token audience")
                .error(Errors.INVALID_TOKEN);
        return false;
    }
}
