package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.compat.KeycloakInternals;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.session.RoleSessionValidator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public part of the IAM API at {@code /realms/{realm}/iam}.
 * <p>
 * {@code GET caller-identity}: who the bearer of a token of this realm is (AWS GetCallerIdentity). Works for the
 * realm's ordinary access tokens (a user or a service account) and for role sessions, which Keycloak's own endpoints
 * refuse. Needs no permission beyond holding the token; answers only about that token.
 * <p>
 * {@code GET openapi.json}: the API's OpenAPI description ({@link OpenApiDocument}), without authentication.
 */
public final class CallerIdentityResource {

    private final KeycloakSession session;

    CallerIdentityResource(KeycloakSession session) {
        this.session = session;
    }

    @GET
    @Path(IamRealmUrls.CALLER_IDENTITY)
    @Produces(MediaType.APPLICATION_JSON)
    public Response callerIdentity() {
        RealmModel realm = session.getContext().getRealm();
        String bearer = bearer(session.getContext().getRequestHeaders());
        if (bearer == null) {
            return unauthorized("a bearer token is required");
        }
        Map<String, Object> identity = RoleSessionValidator.claimsToBeRoleSession(bearer)
                ? roleSession(realm, bearer) : ordinaryToken(realm, bearer);
        return identity == null ? unauthorized("the token is invalid, expired or revoked")
                : Response.ok(StrictJson.write(identity), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Any origin may read it (a browser-based API explorer or generator on another host), as any origin may read
     * Keycloak's discovery document.
     */
    @GET
    @Path(OpenApiDocument.PATH)
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() {
        return Response.ok(OpenApiDocument.bytes(), MediaType.APPLICATION_JSON_TYPE)
                .header("Access-Control-Allow-Origin", "*")
                .build();
    }

    private Map<String, Object> roleSession(RealmModel realm, String bearer) {
        RoleSessionValidator.Result result = RoleSessionValidator.validate(session, realm, bearer);
        if (!result.live()) {
            return null;
        }
        return RoleSessionIdentity.of(realm, result.token());
    }

    private Map<String, Object> ordinaryToken(RealmModel realm, String bearer) {
        KeycloakInternals.VerifiedBearer auth = KeycloakInternals.authenticateBearer(session, realm, bearer).orElse(null);
        if (auth == null) {
            return null;
        }
        String serviceAccountOf = auth.user().getServiceAccountClientLink();
        ClientModel client = serviceAccountOf == null ? null : realm.getClientById(serviceAccountOf);
        Krn principal = client != null ? Krn.client(realm.getName(), client.getClientId())
                : Krn.user(realm.getName(), auth.user().getUsername());
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("principal", principal.toString());
        identity.put("realm", realm.getName());
        identity.put("userId", auth.user().getId());
        identity.put("clientId", auth.token().getIssuedFor());
        identity.put("tokenId", auth.token().getId());
        identity.put("expiresAt", Instant.ofEpochSecond(auth.token().getExp()).toString());
        return identity;
    }

    private static String bearer(HttpHeaders headers) {
        String header = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 16_384) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** RFC 6750 §3: 401 with a Bearer challenge and the error in JSON. */
    private static Response unauthorized(String description) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(StrictJson.write(Map.of("error", "invalid_token", "error_description", description)))
                .build();
    }
}
