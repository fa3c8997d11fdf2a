package io.github.keycloaksts.sts;

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
    /** Form parameters through which a token endpoint grant takes a token to act for (RFC 8693, Keycloak's UMA). */
    private static final List<String> TOKEN_PARAMETERS = List.of("subject_token", "actor_token", "assertion");

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!RoleSessionBoundaryFilter.TOKEN_ENDPOINT.matcher(RoleSessionBoundaryFilter.path(request.getUriInfo())).matches()) {
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
        if (form.all("grant_type").equals(List.of(TOKEN_EXCHANGE))) {
            return;
        }
        boolean roleSessionParameter = TOKEN_PARAMETERS.stream().flatMap(name -> form.all(name).stream())
                .anyMatch(RoleSessionValidator::claimsToBeRoleSession);
        if (RoleSessionBoundaryFilter.bearerIsRoleSession(request) || roleSessionParameter) {
            refuse(request, Response.Status.BAD_REQUEST, "invalid_grant", "a role session is accepted at the token"
                    + " endpoint only as the subject_token of a token exchange (role chaining)");
        }
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
