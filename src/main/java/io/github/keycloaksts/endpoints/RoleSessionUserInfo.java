package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.session.RoleSessionClaims;
import io.github.keycloaksts.session.RoleSessionValidator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.github.keycloaksts.compat.KeycloakInternals;
import io.github.keycloaksts.policy.Krn;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;
import org.keycloak.util.JsonSerialization;

import java.util.List;
import java.util.Map;

/**
 * Userinfo for a role session: the claims of its JWT that describe the session (subject, role, session name,
 * principal, permissions, tags, source identity, chain) and nothing from the user's profile or roles, so a
 * resource server reading userinfo learns exactly what it would from the token. The token must be live
 * ({@link RoleSessionValidator}); otherwise 401 {@code invalid_token} as RFC 6750 §3.1 and Keycloak answer.
 * Recorded as Keycloak's {@code USER_INFO_REQUEST} event.
 */
final class RoleSessionUserInfo {

    /** Claims about the token itself rather than the session; userinfo (OIDC Core §5.3.2) carries none of them. */
    private static final List<String> TOKEN_CLAIMS = List.of("exp", "iat", "nbf", "jti", "iss", "aud", "typ", "azp",
            "scope", "sid", "auth_time", "session_state");

    private final KeycloakSession session;
    private final RealmModel realm;

    RoleSessionUserInfo(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    Response respond(String tokenStr) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.USER_INFO_REQUEST).detail(Details.AUTH_METHOD, Details.VALIDATE_ACCESS_TOKEN)
                .detail("sts", "RoleSession");
        RoleSessionValidator.Result result = RoleSessionValidator.validate(session, realm, tokenStr);
        if (!result.live()) {
            event.detail(Details.REASON, result.problem()).error(Errors.INVALID_TOKEN);
            return Cors.builder().allowAllOrigins().auth().add(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm.getName() + "\", error=\"invalid_token\", "
                            + "error_description=\"Token verification failed\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "invalid_token", "error_description", "Token verification failed")));
        }
        AccessToken token = result.token();
        ClientModel client = realm.getClientByClientId(token.getIssuedFor());
        ObjectNode claims = JsonSerialization.mapper.valueToTree(token);
        claims.remove(TOKEN_CLAIMS);
        // sub is a user id of this realm exactly when the principal is a user or client of this realm (Caller.subject).
        if (RoleSessionClaims.read(token).map(RoleSessionClaims::principal)
                .filter(principal -> principal.realm().equals(realm.getName()))
                .flatMap(Krn::kind).filter(kind -> kind == Krn.Kind.USER || kind == Krn.Kind.CLIENT).isPresent()) {
            event.user(token.getSubject());
        }
        event.client(client).detail(Details.TOKEN_ID, token.getId())
                .detail("assumed_role", RoleSessionClaims.claimedRole(token))
                .success();
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return KeycloakInternals.corsFor(session, client).add(Response.ok(claims.toString(), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore));
    }
}
