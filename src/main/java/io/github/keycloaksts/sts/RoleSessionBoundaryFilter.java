package io.github.keycloaksts.sts;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
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
 * refused as well, which is the point.
 */
@Provider
public final class RoleSessionBoundaryFilter implements ContainerRequestFilter {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final Pattern TOKEN_ENDPOINT = Pattern.compile("/?realms/[^/]+/protocol/openid-connect/token/?");
    /** Endpoints that answer a role session as the caller's bearer token by the role's grants. */
    private static final Pattern BEARER_ALLOWED = Pattern.compile(
            "/?realms/[^/]+/(protocol/openid-connect/userinfo|iam/caller-identity)/?");
    /** Form parameters through which a token endpoint grant takes a token to act for (RFC 8693, Keycloak's UMA). */
    private static final List<String> TOKEN_PARAMETERS = List.of("subject_token", "actor_token", "assertion");

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String path = path(request.getUriInfo());
        boolean bearerIsRoleSession = bearerIsRoleSession(request);
        if (TOKEN_ENDPOINT.matcher(path).matches()) {
            guardTokenEndpoint(request, bearerIsRoleSession);
            return;
        }
        if (bearerIsRoleSession && !BEARER_ALLOWED.matcher(path).matches()) {
            String description = "role sessions are accepted only by resource servers, userinfo, caller identity and"
                    + " role chaining; this endpoint would act with the user's own rights";
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"" + description + "\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "invalid_token", "error_description", description))
                    .build());
        }
    }

    private static void guardTokenEndpoint(ContainerRequestContext request, boolean bearerIsRoleSession) throws IOException {
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
        if (bearerIsRoleSession || roleSessionParameter) {
            refuse(request, Response.Status.BAD_REQUEST, "invalid_grant", "a role session is accepted at the token endpoint only as the subject_token"
                    + " of a token exchange (role chaining)");
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

    /**
     * The request path as the resource was matched: segments without matrix parameters ({@code token;x=y} is the
     * token endpoint too) and without empty segments, so that no spelling of an endpoint escapes its rule.
     */
    private static String path(UriInfo uri) {
        return uri.getPathSegments().stream().map(PathSegment::getPath).filter(segment -> !segment.isEmpty())
                .collect(Collectors.joining("/"));
    }

    /** A role session in the Authorization header, under either scheme Keycloak reads (Bearer, RFC 9449 DPoP). */
    private static boolean bearerIsRoleSession(ContainerRequestContext request) {
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
