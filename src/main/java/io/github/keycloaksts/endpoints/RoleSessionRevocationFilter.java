package io.github.keycloaksts.endpoints;

import io.github.keycloaksts.session.RoleSessionRecords;
import io.github.keycloaksts.session.RoleSessionClaims;
import io.github.keycloaksts.session.RoleSessionValidator;

import io.github.keycloaksts.compat.KeycloakInternals;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.AccessToken;
import org.keycloak.utils.KeycloakSessionUtil;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 7009 revocation of role sessions at Keycloak's {@code /protocol/openid-connect/revoke}. Keycloak's endpoint
 * looks for the user session behind an access token and, finding none for a role session (or not the role
 * session's own record), answers 200 and revokes nothing. So a request whose {@code token} is a role session is
 * answered here: the client is authenticated ({@link RevokingClient}), the token must have been issued to it
 * (RFC 7009 §2.1: {@code azp}), and then its record is deleted and its id put on Keycloak's revoked-token list, both
 * cluster-wide, so introspection, userinfo, caller identity and chaining refuse it on every node from now on
 * ({@link RoleSessionValidator}). An invalid, expired or already revoked token gets the same 200 (RFC 7009 §2.2).
 * Every other revocation request reaches Keycloak untouched.
 */
@Provider
public final class RoleSessionRevocationFilter implements ContainerRequestFilter {

    private static final Pattern REVOKE = Pattern.compile("/?realms/([^/]+)/protocol/openid-connect/revoke/?");

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Matcher path = REVOKE.matcher(request.getUriInfo().getPath());
        if (!path.matches()) {
            return;
        }
        FormPeek.Form form = FormPeek.read(request);
        Optional<String> token = form.single("token").filter(RoleSessionValidator::claimsToBeRoleSession);
        if (token.isEmpty()) {
            return;
        }
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        RealmModel realm = session == null ? null : session.realms().getRealmByName(path.group(1));
        if (realm == null || !realm.isEnabled()) {
            return;
        }
        session.getContext().setRealm(realm);
        RevokingClient.Outcome client = RevokingClient.authenticate(realm, request.getHeaderString(HttpHeaders.AUTHORIZATION), form);
        if (client.refusal() != null) {
            request.abortWith(client.refusal());
            return;
        }
        RoleSessionValidator.Result result = RoleSessionValidator.validate(session, realm, token.get());
        if (!result.live()) {
            request.abortWith(revoked(session));
            return;
        }
        AccessToken roleSession = result.token();
        if (!client.client().getClientId().equals(roleSession.getIssuedFor())) {
            request.abortWith(error(Response.Status.BAD_REQUEST, "invalid_request",
                    "token: issued to another client; only the client it was issued to may revoke it"));
            return;
        }
        String realmId = realm.getId();
        String clientId = client.client().getId();
        long lifespan = Math.max(roleSession.getExp() - Time.currentTime(), 10);
        // A transaction of its own: this request never reaches the resource method whose transaction would commit.
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), job -> {
            RealmModel jobRealm = job.realms().getRealm(realmId);
            job.getContext().setRealm(jobRealm);
            RoleSessionRecords.revoke(job, jobRealm.getName(), roleSession.getId());
            KeycloakInternals.revokeAccessToken(job, roleSession.getId(), lifespan);
            ClientModel jobClient = jobRealm.getClientById(clientId);
            new EventBuilder(jobRealm, job, session.getContext().getConnection())
                    .event(EventType.REVOKE_GRANT).client(jobClient)
                    .detail("token_id", roleSession.getId())
                    .detail("assumed_role", RoleSessionClaims.claimedRole(roleSession))
                    .success();
        });
        request.abortWith(revoked(session));
    }

    /** RFC 7009 §2.2: 200 with no body, whether or not there was anything to revoke (as Keycloak's endpoint). */
    private static Response revoked(KeycloakSession session) {
        session.getProvider(SecurityHeadersProvider.class).options().allowEmptyContentType();
        return Response.ok().cacheControl(noStore()).build();
    }

    static Response error(Response.Status status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                .entity(Map.of("error", error, "error_description", description)).build();
    }

    private static CacheControl noStore() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        return cacheControl;
    }
}
