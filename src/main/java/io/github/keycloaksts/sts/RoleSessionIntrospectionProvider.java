package io.github.keycloaksts.sts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Introspection (RFC 7662) of role-session tokens. Keycloak's own introspection rebuilds claims from the user
 * session and its protocol mappers, which for a role session would drop the role's permissions and bring back the
 * caller's own roles; and a role session has no user session at all. So: tokens without our {@code assumed_role}
 * claim go to Keycloak unchanged; ours are verified here (signature with the realm's keys, issuer, expiry,
 * not-before, revocation, enabled client), must still have their server-side record (per-session revocation
 * deletes it), their role must still exist and not have revoked its sessions since, must name the introspecting
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
            if (verifyToken(tokenStr) && verifyClient() && recorded() && roleStillValid() && introspectorInAudience()) {
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

    /** The role still exists and has not revoked its sessions since this one was issued. */
    private boolean roleStillValid() {
        Optional<Krn> krn = Krn.parse(String.valueOf(token.getOtherClaims().get(RoleSessionTokens.ASSUMED_ROLE)));
        Optional<IamRoleEntity> role = krn.filter(k -> k.realm().equals(realm.getName()))
                .flatMap(k -> new IamRoleStore(session.getProvider(JpaConnectionProvider.class).getEntityManager())
                        .findByName(realm.getId(), k.resource().substring(k.resource().lastIndexOf('/') + 1)));
        if (role.isPresent() && token.getIat() > role.get().getSessionsRevokedAt()) {
            return true;
        }
        eventBuilder.detail(Details.REASON, role.isPresent() ? "role sessions revoked" : "role no longer exists")
                .error(Errors.INVALID_TOKEN);
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
