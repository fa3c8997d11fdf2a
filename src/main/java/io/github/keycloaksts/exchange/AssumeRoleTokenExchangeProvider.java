package io.github.keycloaksts.exchange;

import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.subject.SubjectToken;
import io.github.keycloaksts.session.RoleSessionMinter;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.CorsErrorResponseException;
import jakarta.ws.rs.core.Response;


/**
 * AssumeRole as an RFC 8693 token exchange. Claims only requests that carry our {@code role} parameter, so every
 * other exchange reaches Keycloak's own providers untouched. Every outcome is a {@code TOKEN_EXCHANGE} event with
 * the role, principal, decision and reason (never the external id's value).
 */
final class AssumeRoleTokenExchangeProvider implements TokenExchangeProvider {

    private final int maxChainDepth;

    AssumeRoleTokenExchangeProvider(int maxChainDepth) {
        this.maxChainDepth = maxChainDepth;
    }

    /**
     * Ours: requests naming a role, and any exchange of a role session (as subject or actor). Keycloak's standard
     * exchange would take a role session chosen at sign-in (it has a user session) as the user's own token and
     * issue one with the user's own roles; a role session may only become another role session (chaining), so
     * without {@code role} it is refused here. A {@code role} the client sent counts even when Keycloak's token
     * endpoint dropped it for its length (it drops over-long parameters before any provider sees them): otherwise
     * the request would fall through to the standard exchange and return the user's own token.
     */
    @Override
    public boolean supports(TokenExchangeContext context) {
        return context.getFormParams().containsKey("role")
                || sentForm(context.getSession()).containsKey("role")
                || claimsRoleSession(context.getSession(), context.getFormParams().getFirst("subject_token"))
                || claimsRoleSession(context.getSession(), context.getFormParams().getFirst("actor_token"));
    }

    private static boolean claimsRoleSession(KeycloakSession session, String token) {
        return SubjectToken.of(session, token).filter(SubjectToken::claimsRoleSession).isPresent();
    }

    /** The form as the client sent it, before Keycloak dropped over-long parameters. */
    private static jakarta.ws.rs.core.MultivaluedMap<String, String> sentForm(KeycloakSession session) {
        return session.getContext().getHttpRequest().getDecodedFormParameters();
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        KeycloakSession session = context.getSession();
        ExchangeEvent event = new ExchangeEvent(context.getEvent(), context.getRealm());
        try {
            RequestGuards.refuseDroppedParameters(context.getFormParams(), sentForm(session));
            RequestGuards.refuseSenderConstraints(session, context.getClient(), context.getFormParams().getFirst("subject_token"));
            AssumeRoleRequest request = AssumeRoleRequest.parse(context.getFormParams());
            event.requested(request);
            RoleSession roleSession = new AssumeRoleExchange(session, context.getRealm(), context.getClient(), maxChainDepth)
                    .decide(request);
            AccessToken token = RoleSessionMinter.exchanged(session, context.getRealm(), context.getClient(),
                    roleSession.caller().subject(context.getRealm()), roleSession.durationSeconds(),
                    roleSession.claims(context.getRealm()), roleSession.granted(), roleSession.audiences(),
                    roleSession.scopes());
            String encoded = session.tokens().encode(token);
            event.granted(roleSession, token.getId());
            return context.getCors().add(AssumeRoleResponse.of(encoded, roleSession, request, token));
        } catch (StsException e) {
            event.refused(e);
            throw new CorsErrorResponseException(context.getCors(), e.error(), e.description(), e.status());
        }
    }

    /**
     * Keycloak 26.5 and earlier ask every token-exchange provider for its version (1: legacy, 2: standard); 26.7
     * dropped the method. Kept without {@code @Override} so this class compiles against both: ours follows the
     * standard (V2) rules for identity providers.
     */
    public int getVersion() {
        return 2;
    }

    @Override
    public void close() {
    }
}
