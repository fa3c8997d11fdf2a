package io.github.keycloaksts.subject;

import io.github.keycloaksts.oauth.StsException;

import org.keycloak.models.ClientModel;
import org.keycloak.representations.AccessToken;

import java.util.Arrays;

/**
 * Which client may exchange which subject token. RFC 8693 §2.1 leaves it to the server; Keycloak's own exchange
 * requires the requester in the token's audience ("Client is not within the token audience"), and we follow the
 * same idea so that a token issued to one application cannot be traded into a role session by another:
 * <ul>
 *   <li>a confidential client may exchange a token of its own realm issued to it ({@code azp}) or naming it in
 *       {@code aud}; a token of another realm only when it names the client in {@code aud} (client ids of two
 *       realms are different clients, so {@code azp} says nothing across realms: the issuing realm's administrator
 *       adds the audience with an Audience mapper);</li>
 *   <li>a public client, which cannot prove who it is, only its own tokens ({@code azp}, same realm).</li>
 * </ul>
 * External identity tokens are bound by their provider instead (the provider's client id in {@code aud}, the SP
 * entity id in a SAML audience restriction).
 */
public final class SubjectBinding {

    private SubjectBinding() {
    }

    public static void require(ClientModel requester, AccessToken subject, boolean sameRealm) {
        String clientId = requester.getClientId();
        boolean issuedToRequester = sameRealm && clientId.equals(subject.getIssuedFor());
        if (requester.isPublicClient()) {
            if (!issuedToRequester) {
                throw StsException.invalidRequest("subject_token", "a public client may only exchange tokens of this realm"
                        + " issued to itself (azp '" + clientId + "')");
            }
            return;
        }
        boolean inAudience = subject.getAudience() != null && Arrays.asList(subject.getAudience()).contains(clientId);
        if (!issuedToRequester && !inAudience) {
            throw StsException.invalidRequest("subject_token", "client '" + clientId + "' is neither the client the token"
                    + " was issued to (azp) nor in its audience (aud)");
        }
    }
}
