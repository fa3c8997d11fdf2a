package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.session.RoleSessionValidator;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.utils.KeycloakSessionUtil;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes userinfo requests (OIDC Core §5.3) that present a role session to {@link RoleSessionUserInfo}. Keycloak's
 * userinfo endpoint has no provider hook and would look for a user session the role session does not have (and,
 * had it one, would answer with the caller's own profile through the client's mappers); a JAX-RS request filter
 * in a provider jar is the extension point Keycloak supports for this (keycloak#25038). Every other request,
 * including userinfo with an ordinary token, passes through untouched: the check is a path match and, only for
 * userinfo, an unverified look at the token's claims.
 */
@Provider
public final class RoleSessionUserInfoFilter implements ContainerRequestFilter {

    private static final Pattern USERINFO = Pattern.compile("/?realms/([^/]+)/protocol/openid-connect/userinfo/?");
    /** A form body larger than this cannot be one token (RFC 6750 §2.2); it is left to Keycloak. */
    private static final int MAX_FORM_BYTES = 32 * 1024;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Matcher path = USERINFO.matcher(request.getUriInfo().getPath());
        if (!path.matches()) {
            return;
        }
        String token = bearerHeader(request);
        if (token == null && HttpMethod.POST.equals(request.getMethod())
                && request.getMediaType() != null && request.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            token = formToken(request);
        }
        if (token == null || !RoleSessionValidator.claimsToBeRoleSession(token)) {
            return;
        }
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        RealmModel realm = session == null ? null : session.realms().getRealmByName(path.group(1));
        if (realm == null || !realm.isEnabled()) {
            return;
        }
        session.getContext().setRealm(realm);
        request.abortWith(new RoleSessionUserInfo(session, realm).respond(token));
    }

    private static String bearerHeader(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** The {@code access_token} form parameter; the body is put back for Keycloak whatever it holds. */
    private static String formToken(ContainerRequestContext request) throws IOException {
        InputStream body = request.getEntityStream();
        byte[] head = body.readNBytes(MAX_FORM_BYTES + 1);
        request.setEntityStream(head.length > MAX_FORM_BYTES
                ? new SequenceInputStream(new ByteArrayInputStream(head), body) : new ByteArrayInputStream(head));
        if (head.length > MAX_FORM_BYTES) {
            return null;
        }
        List<String> tokens = new java.util.ArrayList<>();
        for (String pair : new String(head, StandardCharsets.US_ASCII).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("access_token")) {
                try {
                    tokens.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        // Duplicates are Keycloak's "Duplicate parameter" error to give.
        return tokens.size() == 1 ? tokens.get(0) : null;
    }
}
