package io.github.keycloaksts.sts;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;

/**
 * The caller of an exchange, after its subject token was verified: the realm that issued the token, the user (or
 * a client's service-account user), and the verified token.
 *
 * @param serviceAccountOf the client whose service account the user is, or null for a person
 */
record VerifiedSubject(RealmModel realm, UserModel user, ClientModel serviceAccountOf, AccessToken token) {
}
