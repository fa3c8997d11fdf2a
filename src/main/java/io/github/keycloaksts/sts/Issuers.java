package io.github.keycloaksts.sts;

import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;

/** Which realm of this server issued a token, from its {@code iss}: the first step of verifying it. */
final class Issuers {

    private Issuers() {
    }

    /** {@code iss} of a token not yet verified, or null when it is not a JWT. */
    static String unverifiedIssuer(String tokenStr) {
        try {
            return TokenVerifier.create(tokenStr, AccessToken.class).getToken().getIssuer();
        } catch (VerificationException | RuntimeException e) {
            return null;
        }
    }

    /** The realm of this server whose issuer URL is exactly {@code issuer}, or null. */
    static RealmModel realmOf(KeycloakSession session, String issuer) {
        if (issuer == null) {
            return null;
        }
        int marker = issuer.lastIndexOf("/realms/");
        if (marker < 0) {
            return null;
        }
        RealmModel realm = session.realms().getRealmByName(issuer.substring(marker + "/realms/".length()));
        if (realm == null || !Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()).equals(issuer)) {
            return null;
        }
        return realm;
    }
}
