package io.github.keycloaksts.sts;

import io.github.keycloaksts.metrics.StsMetrics;
import io.github.keycloaksts.store.RoleUsageTracker;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.CorsErrorResponseException;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                || RoleSessionValidator.claimsToBeRoleSession(context.getFormParams().getFirst("subject_token"))
                || RoleSessionValidator.claimsToBeRoleSession(context.getFormParams().getFirst("actor_token"));
    }

    /** The form as the client sent it, before Keycloak dropped over-long parameters. */
    private static jakarta.ws.rs.core.MultivaluedMap<String, String> sentForm(KeycloakSession session) {
        return session.getContext().getHttpRequest().getDecodedFormParameters();
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        KeycloakSession session = context.getSession();
        EventBuilder event = context.getEvent().event(EventType.TOKEN_EXCHANGE).detail("sts", "AssumeRole");
        try {
            refuseDroppedParameters(session, context);
            refuseSenderConstraints(session, context);
            AssumeRoleRequest request = AssumeRoleRequest.parse(context.getFormParams());
            event.detail("role", request.role()).detail("external_id_present", String.valueOf(request.externalId().isPresent()));
            RoleSession roleSession = new AssumeRoleExchange(session, context.getRealm(), context.getClient(), maxChainDepth)
                    .decide(request);
            AccessToken token = RoleSessionTokens.build(session, context.getRealm(), context.getClient(), roleSession);
            String encoded = session.tokens().encode(token);
            RoleSessionRecords.put(session, token.getId(), roleSession.roleKrn(), roleSession.durationSeconds());
            RoleUsageTracker.record(roleSession.role().id(), context.getClient().getClientId());
            roleSession.caller().localUserId(context.getRealm()).ifPresent(event::user);
            event.detail("assumed_role", roleSession.roleKrn())
                    .detail("role_session_name", roleSession.sessionName())
                    .detail("principal", roleSession.caller().principal().toString())
                    .detail("origin", roleSession.caller().origin(context.getRealm()).origin().json())
                    .detail("decision", roleSession.decision().outcome().json())
                    .detail("statements", String.join(",", roleSession.decision().matchedStatements()))
                    .detail("duration_seconds", String.valueOf(roleSession.durationSeconds()))
                    .detail("token_id", token.getId())
                    .detail("session_tag_keys", String.join(",", roleSession.sessionTags().keySet()));
            roleSession.sourceIdentity().ifPresent(identity -> event.detail("source_identity", identity));
            if (roleSession.caller() instanceof ExternalIdentity external) {
                event.detail("identity_provider", external.alias())
                        .detail("identity_provider_subject", external.externalSubject());
            }
            roleSession.caller().chain().ifPresent(chain -> event
                    .detail("role_chain", String.join(" > ", chain.links()) + " > "
                            + RoleSessionTokens.sessionKrn(context.getRealm().getName(), roleSession.role().name(), roleSession.sessionName()))
                    .detail("chain_depth", String.valueOf(chain.depthOfNext())));
            event.success();
            StsMetrics.exchange("granted", "ok", callerKind(roleSession.caller(), context.getRealm()));
            return context.getCors().add(Response.ok(response(encoded, roleSession, request, token), MediaType.APPLICATION_JSON_TYPE)
                    .cacheControl(noStore()).header("Pragma", "no-cache"));
        } catch (StsException e) {
            event.detail("reason", e.reason()).error(e.error());
            StsMetrics.exchange(e.error(), e.kind(), "unknown");
            throw new CorsErrorResponseException(context.getCors(), e.error(), e.description(), e.status());
        }
    }

    /**
     * RFC 8693 §2.2.1, plus what the session was granted (a session policy may have narrowed it) and how much of
     * the session-policy and tag budgets the request used. No refresh token: a role session ends when its token
     * expires.
     */
    private static Map<String, Object> response(String accessToken, RoleSession roleSession, AssumeRoleRequest request,
                                                AccessToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("issued_token_type", AssumeRoleRequest.ACCESS_TOKEN_TYPE);
        body.put("token_type", "Bearer");
        body.put("expires_in", roleSession.durationSeconds());
        Map<String, Object> granted = new LinkedHashMap<>();
        granted.put("realmRoles", token.getRealmAccess() == null ? List.of() : token.getRealmAccess().getRoles());
        Map<String, Object> clientRoles = new LinkedHashMap<>();
        if (token.getResourceAccess() != null) {
            token.getResourceAccess().forEach((client, access) -> clientRoles.put(client, access.getRoles()));
        }
        granted.put("clientRoles", clientRoles);
        body.put("granted_permissions", granted);
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("session_policy_bytes", request.sessionPolicyBytes());
        budget.put("session_policy_max_bytes", AssumeRoleRequest.SESSION_POLICY_MAX_BYTES);
        budget.put("session_tags", request.sessionTags().size());
        budget.put("session_tags_max", io.github.keycloaksts.role.RoleLimits.TAGS_MAX);
        body.put("session_budget", budget);
        return body;
    }

    /**
     * Keycloak's token endpoint silently drops a form parameter longer than its limit (4000 characters, 20000 for
     * token parameters; {@code OIDCProviderConfig}) before any grant sees it. For AssumeRole that would fail open:
     * an over-long {@code session_policy} would vanish and the session get all the role grants. So a parameter
     * of ours that the client sent but the context lacks is refused, naming it.
     */
    private static void refuseDroppedParameters(KeycloakSession session, TokenExchangeContext context) {
        jakarta.ws.rs.core.MultivaluedMap<String, String> sent = sentForm(session);
        for (String parameter : java.util.stream.Stream.concat(AssumeRoleRequest.PARAMETERS.stream(),
                AssumeRoleRequest.UNSUPPORTED.stream()).toList()) {
            if (sent.containsKey(parameter) && !context.getFormParams().containsKey(parameter)) {
                throw StsException.invalidRequest(parameter, "longer than the token endpoint accepts (Keycloak's limit"
                        + " for request parameters)");
            }
        }
    }

    /**
     * AssumeRole issues bearer tokens only (sender-constrained role sessions are a later feature). A request that
     * asks for or carries a sender constraint is refused rather than answered with a bearer token, which would
     * silently drop the constraint: a DPoP proof (RFC 9449 §5: the client wants a DPoP-bound token), a requesting
     * client set up to receive only DPoP- or certificate-bound tokens, and a subject token bound to a key or a
     * certificate ({@code cnf}, RFC 7800): its holder proved nothing here, and a bearer role session would outlive
     * the binding.
     */
    private static void refuseSenderConstraints(KeycloakSession session, TokenExchangeContext context) {
        if (session.getContext().getRequestHeaders().getHeaderString("DPoP") != null) {
            throw StsException.invalidRequest("DPoP", "DPoP-bound role sessions are not supported yet; AssumeRole"
                    + " issues bearer tokens only, so send the request without a DPoP proof");
        }
        org.keycloak.models.ClientModel requester = context.getClient();
        for (String attribute : List.of("dpop.bound.access.tokens", "tls.client.certificate.bound.access.tokens")) {
            if (requester != null && Boolean.parseBoolean(requester.getAttribute(attribute))) {
                throw StsException.invalidRequest("client_id", "client '" + requester.getClientId() + "' requires"
                        + " sender-constrained tokens (" + attribute + "); AssumeRole issues bearer tokens only");
            }
        }
        String subject = context.getFormParams().getFirst("subject_token");
        if (subject != null && senderConstrained(subject)) {
            throw StsException.invalidRequest("subject_token", "sender-constrained subject tokens (cnf) are not"
                    + " supported yet");
        }
    }

    /** Whether a JWT carries a confirmation claim (unverified: it only ever leads to a refusal). */
    private static boolean senderConstrained(String jwt) {
        try {
            AccessToken token = org.keycloak.TokenVerifier.create(jwt, AccessToken.class).getToken();
            return token.getConfirmation() != null || token.getOtherClaims().containsKey("cnf");
        } catch (org.keycloak.common.VerificationException | RuntimeException e) {
            return false;
        }
    }

    /** For metrics: a chained session, or the origin of the principal (user, service_account, web_identity...). */
    private static String callerKind(Caller caller, org.keycloak.models.RealmModel realm) {
        return caller instanceof PriorSession ? "role_session" : caller.origin(realm).origin().json();
    }

    /** RFC 6749 §5.1: responses carrying tokens must not be cached. */
    private static CacheControl noStore() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        return cacheControl;
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
