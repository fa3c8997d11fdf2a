package io.github.keycloaksts.it;

import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.realm.ManagedRealm;

/** {@link ServerFixture} with the realm most tests use, {@link AcmeRealm}, and its IAM API as the master administrator. */
abstract class AcmeFixture extends ServerFixture {

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    /** acme's IAM admin API, called by the master realm's administrator. */
    IamApi api() {
        return iam(realm.getName());
    }

    /** A password-grant access token (client {@code admin-cli}) of one of acme's users. */
    String userToken(String username) {
        return Http.userToken(base(), realm.getName(), username, AcmeRealm.PASSWORD);
    }

    /** alice's token: an engineer (group /engineering/sre) whom most of the tests' roles trust. */
    String alice() {
        return userToken("alice");
    }
}
