package io.github.keycloaksts.compat;

import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSHeader;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Whether a realm can even try to verify a token's signature: its header names an algorithm other than
 * {@code none} that the server has a signature provider for, and the realm holds a usable key of that algorithm
 * (the one the header's {@code kid} names, when it names one). Keycloak's own verifiers are not trusted with the
 * rest: 26.5's {@code AuthenticationManager.verifyIdentityToken} throws a NullPointerException for an algorithm
 * without a provider, which the token endpoint answers with 500. A token that passes here may still fail its
 * signature, expiry or session checks; those Keycloak reports as a failed verification.
 */
final class VerifiableSignature {

    private VerifiableSignature() {
    }

    static boolean verifiable(KeycloakSession session, RealmModel realm, String token) {
        JWSHeader header;
        String algorithm;
        try {
            header = new JWSInput(token).getHeader();
            // getRawAlgorithm throws a NullPointerException for a header without "alg" (SubjectTokenAlgorithmIT).
            algorithm = header == null ? null : header.getRawAlgorithm();
        } catch (JWSInputException | RuntimeException e) { // not three base64url parts, a header that is not JSON
            return false;                                   // or one without an algorithm
        }
        if (algorithm == null || algorithm.isBlank() || "none".equalsIgnoreCase(algorithm)
                || session.getProvider(SignatureProvider.class, algorithm) == null) {
            return false;
        }
        String keyId = header.getKeyId();
        if (keyId != null) {
            return session.keys().getKey(realm, keyId, KeyUse.SIG, algorithm) != null;
        }
        return session.keys().getKeysStream(realm, KeyUse.SIG, algorithm)
                .anyMatch(key -> key.getStatus() == KeyStatus.ACTIVE || key.getStatus() == KeyStatus.PASSIVE);
    }
}
