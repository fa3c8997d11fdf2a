package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.session.RoleSessionValidator;
import io.github.keycloaksts.signin.RoleSignInClients;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The token endpoint's part of {@link RoleSessionBoundaryFilter}: a role session is accepted there only as the
 * {@code subject_token} of {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} (role chaining; our
 * provider claims every exchange of a role session and refuses it without {@code role}). As Bearer header, or as
 * {@code subject_token}/{@code actor_token}/{@code assertion} of any other grant (UMA, which would issue an RPT with
 * the user's own permissions; {@code client_credentials}, {@code refresh_token}, ...), it is refused with RFC 6749
 * §5.2 {@code 400 invalid_grant}. It reads the form ({@link FormPeek}), so it runs after matching, on Keycloak's
 * worker thread.
 */
@Provider
public final class RoleSessionTokenEndpointFilter implements ContainerRequestFilter {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    static final String UMA_TICKET = "urn:ietf:params:oauth:grant-type:uma-ticket";

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!RoleSessionBoundaryFilter.TOKEN_ENDPOINT.matcher(RoleSessionBoundaryFilter.path(request.getUriInfo())).matches()) {
            return;
        }
        if (HttpMethod.POST.equals(request.getMethod()) && (request.getMediaType() == null
                || !request.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE))) {
            // RFC 6749 §3.2: application/x-www-form-urlencoded. Keycloak also parses multipart bodies, which this
            // filter cannot see into: a role session could hide there (outsider review, issue 14).
            refuse(request, Response.Status.BAD_REQUEST, "invalid_request", "the token endpoint takes an"
                    + " application/x-www-form-urlencoded body (RFC 6749 section 3.2)");
            return;
        }
        FormPeek.Form form = FormPeek.read(request);
        if (form.tooLarge()) {
            // Cannot tell which grant or token this is: fail closed, as the form parser would for an over-long
            // parameter (no real token request comes near the limit).
            refuse(request, Response.Status.REQUEST_ENTITY_TOO_LARGE, "invalid_request", "the request body is larger"
                    + " than " + FormPeek.MAX_BYTES + " bytes");
            return;
        }
        if (form.unreadable()) {
            refuse(request, Response.Status.BAD_REQUEST, "invalid_request", "the request body is not a well-formed"
                    + " application/x-www-form-urlencoded form");
            return;
        }
        if (form.all("grant_type").size() > 1) {
            // Keycloak takes the first value; a check that reads another would be bypassed (outsider review).
            refuse(request, Response.Status.BAD_REQUEST, "invalid_request", "grant_type: given "
                    + form.all("grant_type").size() + " times; give it once");
            return;
        }
        if (form.all("grant_type").equals(List.of(TOKEN_EXCHANGE))) {
            return;
        }
        // Any parameter: UMA takes its token as claim_token too, and grants may grow. Keycloak strips control
        // characters from parameters before using them, so they are stripped here before looking.
        boolean roleSessionParameter = form.parameters().values().stream().flatMap(List::stream)
                .map(RoleSessionTokenEndpointFilter::withoutControlCharacters)
                .anyMatch(RoleSessionValidator::claimsToBeRoleSession);
        if (RoleSessionBoundaryFilter.bearerIsRoleSession(request) || roleSessionParameter) {
            refuse(request, Response.Status.BAD_REQUEST, "invalid_grant", "a role session is accepted at the token"
                    + " endpoint only as the subject_token of a token exchange (role chaining)");
            return;
        }
        if (form.all("grant_type").contains(UMA_TICKET) && roleSignInClient(request, form)) {
            // The UMA grant issues an RPT with the user's own permissions from any token of the user (claim_token
            // with the login's ID token, say): a client set up to receive role sessions only must not get one.
            refuse(request, Response.Status.BAD_REQUEST, "unauthorized_client", "a client set up for role sign-in"
                    + " receives role sessions only; the UMA grant would issue a token with the user's own permissions");
        }
    }

    /** Whether the requesting client (HTTP Basic or {@code client_id}) is one of the realm's role sign-in clients. */
    private static boolean roleSignInClient(ContainerRequestContext request, FormPeek.Form form) {
        java.util.Set<String> clientIds = new java.util.HashSet<>(form.all("client_id"));
        String authorization = request.getHeaderString(jakarta.ws.rs.core.HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                        java.nio.charset.StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                clientIds.add(java.net.URLDecoder.decode(colon < 0 ? decoded : decoded.substring(0, colon),
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return false; // Keycloak refuses the malformed credentials itself
            }
        }
        org.keycloak.models.KeycloakSession session = org.keycloak.utils.KeycloakSessionUtil.getKeycloakSession();
        String realmName = RoleSessionBoundaryFilter.path(request.getUriInfo()).split("/")[1];
        org.keycloak.models.RealmModel realm = session == null ? null : session.realms().getRealmByName(realmName);
        if (realm == null) {
            return false;
        }
        for (String clientId : clientIds) {
            org.keycloak.models.ClientModel client = realm.getClientByClientId(clientId);
            if (client != null && RoleSignInClients.mapperOf(client).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static String withoutControlCharacters(String value) {
        StringBuilder kept = new StringBuilder(value.length());
        value.codePoints().filter(c -> !Character.isISOControl(c)).forEach(kept::appendCodePoint);
        return kept.toString();
    }

    private static void refuse(ContainerRequestContext request, Response.Status status, String error, String description) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        request.abortWith(Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore)
                .entity(Map.of("error", error, "error_description", description))
                .build());
    }
}
