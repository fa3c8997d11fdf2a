package io.github.keycloaksts.subject;

import io.github.keycloaksts.session.RoleSessionClaims;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.jose.jws.JWSHeader;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token presented to an exchange ({@code subject_token}, {@code actor_token}), decoded once per request and not
 * verified: only to route it (a role session? which issuer? a sender constraint?), never to trust what it says.
 * Routing asks several questions of the same token in one request (the provider's {@code supports}, then the
 * exchange); it is decoded the first time and the result kept in the Keycloak session for the rest of the request.
 *
 * @param encoded the token as sent
 * @param header  its JOSE header
 * @param claims  its claims, unverified
 */
public record SubjectToken(String encoded, JWSHeader header, AccessToken claims) {

    private static final String ATTRIBUTE = SubjectToken.class.getName();

    /** The decoded token, or empty when it is not a JWT; decoded at most once per request. */
    public static Optional<SubjectToken> of(KeycloakSession session, String encoded) {
        if (encoded == null) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Optional<SubjectToken>> decoded = session.getAttribute(ATTRIBUTE, Map.class);
        if (decoded == null) {
            decoded = new HashMap<>();
            session.setAttribute(ATTRIBUTE, decoded);
        }
        return decoded.computeIfAbsent(encoded, SubjectToken::decode);
    }

    static Optional<SubjectToken> decode(String encoded) {
        try {
            TokenVerifier<AccessToken> verifier = TokenVerifier.create(encoded, AccessToken.class);
            return Optional.of(new SubjectToken(encoded, verifier.getHeader(), verifier.getToken()));
        } catch (VerificationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Claims to be a role session (of a role or of none): it is verified as one, never as its principal's token. */
    public boolean claimsRoleSession() {
        return RoleSessionClaims.claimedBy(claims);
    }

    /** {@code iss} as the token states it, or null. */
    public String issuer() {
        return claims.getIssuer();
    }

    /** Bound to a key or a certificate ({@code cnf}, RFC 7800). */
    public boolean senderConstrained() {
        return claims.getConfirmation() != null || claims.getOtherClaims().containsKey("cnf");
    }
}
