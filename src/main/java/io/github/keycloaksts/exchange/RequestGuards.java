package io.github.keycloaksts.exchange;

import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.subject.SubjectToken;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;

import java.util.List;
import java.util.stream.Stream;

/** Refusals before a request is parsed: what Keycloak's token endpoint would otherwise silently change or drop. */
final class RequestGuards {

    private RequestGuards() {
    }

    /**
     * Keycloak's token endpoint silently drops a form parameter longer than its limit (4000 characters, 20000 for
     * token parameters; {@code OIDCProviderConfig}) before any grant sees it. For AssumeRole that would fail open:
     * an over-long {@code session_policy} would vanish and the session get all the role grants. So a parameter
     * of ours that the client sent but the context lacks is refused, naming it.
     */
    static void refuseDroppedParameters(MultivaluedMap<String, String> received, MultivaluedMap<String, String> sent) {
        for (String parameter : Stream.concat(AssumeRoleRequest.PARAMETERS.stream(),
                AssumeRoleRequest.UNSUPPORTED.stream()).toList()) {
            if (sent.containsKey(parameter) && !received.containsKey(parameter)) {
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
    static void refuseSenderConstraints(KeycloakSession session, ClientModel requester, String subject) {
        if (session.getContext().getRequestHeaders().getHeaderString("DPoP") != null) {
            throw StsException.invalidRequest("DPoP", "DPoP-bound role sessions are not supported yet; AssumeRole"
                    + " issues bearer tokens only, so send the request without a DPoP proof");
        }
        for (String attribute : List.of("dpop.bound.access.tokens", "tls.client.certificate.bound.access.tokens")) {
            if (requester != null && Boolean.parseBoolean(requester.getAttribute(attribute))) {
                throw StsException.invalidRequest("client_id", "client '" + requester.getClientId() + "' requires"
                        + " sender-constrained tokens (" + attribute + "); AssumeRole issues bearer tokens only");
            }
        }
        if (SubjectToken.of(session, subject).filter(SubjectToken::senderConstrained).isPresent()) {
            throw StsException.invalidRequest("subject_token", "sender-constrained subject tokens (cnf) are not"
                    + " supported yet");
        }
    }

}
