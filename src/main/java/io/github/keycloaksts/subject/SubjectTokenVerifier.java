package io.github.keycloaksts.subject;

import io.github.keycloaksts.oauth.StsException;

import io.github.keycloaksts.compat.KeycloakInternals;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.Token;

import java.util.Optional;

/**
 * Verifies a subject token as Keycloak verifies bearer tokens: an access token of a realm of this server, signed
 * with one of that realm's active keys by an algorithm it has a provider for (so {@code alg=none} or a foreign key
 * fail), not expired, not revoked, of type Bearer, and backed by a valid user session of an enabled user and
 * client. The issuing realm is found from {@code iss}; a token of another realm is verified with that realm's keys,
 * which Keycloak looks up from the context realm, so the context is switched for the check and restored after.
 */
public final class SubjectTokenVerifier {

    private SubjectTokenVerifier() {
    }

    public static VerifiedSubject verify(KeycloakSession session, SubjectToken subjectToken) {
        if (subjectToken.claimsRoleSession()) {
            // A role session stands for its role (PriorSession), never for its principal: never read it as the
            // principal's own token.
            throw new IllegalArgumentException("role sessions are verified by PriorSession");
        }
        KeycloakContext context = session.getContext();
        RealmModel issuingRealm = Issuers.realmOf(session, subjectToken.issuer());
        if (issuingRealm == null || !issuingRealm.isEnabled()) {
            throw StsException.invalidRequest("subject_token", "not a token this server issued");
        }
        RealmModel requestRealm = context.getRealm();
        ClientModel requestClient = context.getClient();
        Token requestBearer = context.getBearerToken();
        Optional<KeycloakInternals.VerifiedBearer> result;
        try {
            context.setRealm(issuingRealm);
            result = KeycloakInternals.verifyAccessToken(session, issuingRealm, subjectToken.encoded());
        } finally {
            // verifyIdentityToken sets the subject's client and token on the context: this request's are restored.
            context.setRealm(requestRealm);
            context.setClient(requestClient);
            context.setBearerToken(requestBearer);
        }
        KeycloakInternals.VerifiedBearer verified = result
                .orElseThrow(() -> StsException.invalidRequest("subject_token", "invalid, expired or revoked"));
        ClientModel serviceAccountOf = verified.user().getServiceAccountClientLink() == null ? null
                : issuingRealm.getClientById(verified.user().getServiceAccountClientLink());
        return new VerifiedSubject(issuingRealm, verified.user(), serviceAccountOf, verified.token(), verified.userSession());
    }
}
