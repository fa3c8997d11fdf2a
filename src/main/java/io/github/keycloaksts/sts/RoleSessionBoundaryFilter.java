package io.github.keycloaksts.sts;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps role sessions out of Keycloak's own session-backed APIs: the admin REST API (ours included), the account
 * API and client registration. Those judge the user behind a token by the user's own roles, not the token's, so a
 * role session with a user session (one chosen at sign-in) would act there with the user's full rights; AssumeRole
 * sessions have no user session and were refused already. RFC 6750 §3.1: {@code 401 invalid_token}. Other
 * requests pass untouched (a path match, then an unverified look at the bearer token's claims).
 */
@Provider
public final class RoleSessionBoundaryFilter implements ContainerRequestFilter {

    private static final Pattern GUARDED = Pattern.compile(
            "/?(admin/realms(/.*)?|realms/[^/]+/(account|clients-registrations)(/.*)?)");

    @Override
    public void filter(ContainerRequestContext request) {
        if (!GUARDED.matcher(request.getUriInfo().getPath()).matches()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || !RoleSessionValidator.claimsToBeRoleSession(header.substring(7).trim())) {
            return;
        }
        String description = "role sessions are not accepted by Keycloak's admin, account and client-registration APIs";
        request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"" + description + "\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "invalid_token", "error_description", description))
                .build());
    }
}
