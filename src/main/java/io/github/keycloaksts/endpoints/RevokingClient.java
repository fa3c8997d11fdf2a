package io.github.keycloaksts.endpoints;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Authenticates the client of an RFC 7009 revocation of a role session. The revocation is answered in a request
 * filter, before Keycloak's endpoint has read the form, so Keycloak's client authenticators (which read it) cannot
 * run there; the methods a filter can check exactly are supported: {@code client_secret_basic} and
 * {@code client_secret_post} (RFC 6749 §2.3.1) for clients whose authenticator is Keycloak's client secret, and a
 * public client naming itself (RFC 7009 §5: a public client revokes only its own tokens). A client that
 * authenticates otherwise (signed JWT, X.509) is told so (and can revoke with the IAM admin API); it is never
 * treated as authenticated.
 */
final class RevokingClient {

    /** Keycloak's client-secret authenticator ({@code ClientIdAndSecretAuthenticator.PROVIDER_ID}). */
    static final String CLIENT_SECRET = "client-secret";

    /** The authenticated client, or the response refusing the request. */
    record Outcome(ClientModel client, Response refusal) {
    }

    private RevokingClient() {
    }

    static Outcome authenticate(RealmModel realm, String authorization, FormPeek.Form form) {
        Optional<String[]> basic = basic(authorization);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6) && basic.isEmpty()) {
            return unauthorized("malformed Basic credentials");
        }
        Optional<String> formId = form.single("client_id");
        Optional<String> formSecret = form.single("client_secret");
        if (form.all("client_id").size() > 1 || form.all("client_secret").size() > 1) {
            return refused(Response.Status.BAD_REQUEST, "invalid_request", "client_id and client_secret must not be repeated");
        }
        if (basic.isPresent() && formSecret.isPresent()) {
            return refused(Response.Status.BAD_REQUEST, "invalid_request",
                    "use one client authentication method (RFC 6749 §2.3), not Basic and client_secret together");
        }
        if (basic.isPresent() && formId.isPresent() && !formId.get().equals(basic.get()[0])) {
            return refused(Response.Status.BAD_REQUEST, "invalid_request", "client_id differs from the Basic credentials");
        }
        String clientId = basic.map(b -> b[0]).or(() -> formId).orElse(null);
        String secret = basic.map(b -> b[1]).or(() -> formSecret).orElse(null);
        if (clientId == null) {
            return unauthorized("client authentication required");
        }
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            return unauthorized("unknown or disabled client");
        }
        if (client.isBearerOnly()) {
            return refused(Response.Status.BAD_REQUEST, "invalid_client", "bearer-only clients cannot revoke tokens");
        }
        if (client.isPublicClient()) {
            return new Outcome(client, null);
        }
        if (!CLIENT_SECRET.equals(client.getClientAuthenticatorType())) {
            return refused(Response.Status.BAD_REQUEST, "invalid_client", "role sessions are revoked here by clients that"
                    + " authenticate with a client secret (Basic or client_secret); this client authenticates with '"
                    + client.getClientAuthenticatorType() + "': revoke with the IAM admin API instead");
        }
        if (secret == null || !client.validateSecret(secret) || secretExpired(client)) {
            return unauthorized("invalid client credentials");
        }
        return new Outcome(client, null);
    }

    /** Keycloak's client-secret expiry (client policy "secret rotation"), as its authenticator checks it. */
    private static boolean secretExpired(ClientModel client) {
        String expiration = client.getAttribute("client.secret.expiration");
        try {
            return expiration != null && !expiration.isBlank() && Integer.parseInt(expiration) > 0
                    && Integer.parseInt(expiration) < Time.currentTime();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** RFC 6749 §2.3.1: {@code Basic base64(urlencode(id) ":" urlencode(secret))}. */
    private static Optional<String[]> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new String[]{URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** RFC 6749 §5.2: 401 invalid_client with a Basic challenge. */
    private static Outcome unauthorized(String description) {
        Response response = RoleSessionRevocationFilter.error(Response.Status.UNAUTHORIZED, "invalid_client", description);
        return new Outcome(null, Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Basic").build());
    }

    private static Outcome refused(Response.Status status, String error, String description) {
        return new Outcome(null, RoleSessionRevocationFilter.error(status, error, description));
    }
}
