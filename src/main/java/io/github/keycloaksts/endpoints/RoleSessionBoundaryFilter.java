package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.session.RoleSessionValidator;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The boundary of role sessions, as an allow-list. A role session stands for its role; Keycloak's own endpoints
 * judge the user behind a token by the user's own roles (the admin and account APIs, client registration, the
 * authorization services, the UMA grant, which issues an RPT with the user's own permissions), so a role session
 * with a user session (one chosen at sign-in) would act there with the user's full rights. A request that carries
 * a role session is therefore let through only where the role's grants are what counts:
 * <ul>
 *   <li>the token endpoint with {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} (role
 *       chaining; our provider claims every exchange of a role session and refuses the rest);</li>
 *   <li>userinfo and {@code /realms/{realm}/iam/caller-identity}, which answer role sessions themselves;</li>
 *   <li>introspection and RFC 7009 revocation, where the role session is the {@code token} form parameter and the
 *       caller a client (a role session as the caller's bearer token is refused there too).</li>
 * </ul>
 * Everywhere else a role session as bearer token is refused with RFC 6750 §3.1 {@code 401 invalid_token}; at the
 * token endpoint, as bearer or as {@code subject_token}/{@code actor_token}/{@code assertion} of any other grant, with RFC 6749 §5.2
 * {@code 400 invalid_grant}. Which token is a role session is an unverified look at its claims: a forged one is
 * refused as well, which is the point. This filter runs before resource matching ({@link PreMatching}): Keycloak
 * authenticates bearer tokens already in its sub-resource locators (account, authorization services), which run
 * before any post-matching filter; it reads headers only. The token endpoint, where the form must be read, is
 * {@link RoleSessionTokenEndpointFilter}'s.
 */
@Provider
@PreMatching
public final class RoleSessionBoundaryFilter implements ContainerRequestFilter {

    static final Pattern TOKEN_ENDPOINT = Pattern.compile("/?realms/[^/]+/protocol/openid-connect/token/?");
    /** Endpoints that answer a role session as the caller's bearer token by the role's grants. */
    private static final Pattern BEARER_ALLOWED = Pattern.compile(
            "/?realms/[^/]+/(protocol/openid-connect/userinfo|iam/caller-identity)/?");

    @Override
    public void filter(ContainerRequestContext request) {
        String path = path(request.getUriInfo());
        if (TOKEN_ENDPOINT.matcher(path).matches()) {
            return; // RoleSessionTokenEndpointFilter: it must read the form, which only a matched request may
        }
        if (bearerIsRoleSession(request) && !BEARER_ALLOWED.matcher(path).matches()) {
            String description = "role sessions are accepted only by resource servers, userinfo, caller identity and"
                    + " role chaining; this endpoint would act with the user's own rights";
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"" + description + "\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "invalid_token", "error_description", description))
                    .build());
        }
    }

    /**
     * The request path as the resource was matched: segments without matrix parameters ({@code token;x=y} is the
     * token endpoint too) and without empty segments, so that no spelling of an endpoint escapes its rule.
     */
    static String path(UriInfo uri) {
        return uri.getPathSegments().stream().map(PathSegment::getPath).filter(segment -> !segment.isEmpty())
                .collect(Collectors.joining("/"));
    }

    /** A role session in the Authorization header, under either scheme Keycloak reads (Bearer, RFC 9449 DPoP). */
    static boolean bearerIsRoleSession(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return false;
        }
        for (String scheme : List.of("Bearer ", "DPoP ")) {
            if (header.regionMatches(true, 0, scheme, 0, scheme.length())
                    && RoleSessionValidator.claimsToBeRoleSession(header.substring(scheme.length()).trim())) {
                return true;
            }
        }
        return false;
    }
}
