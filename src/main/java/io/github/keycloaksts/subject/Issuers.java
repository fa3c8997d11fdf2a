package io.github.keycloaksts.subject;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/** Which realm of this server issued a token, from its {@code iss}: the first step of verifying it. */
public final class Issuers {

    private Issuers() {
    }

    /** The realm of this server whose issuer URL is exactly {@code issuer}, or null. */
    public static RealmModel realmOf(KeycloakSession session, String issuer) {
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
