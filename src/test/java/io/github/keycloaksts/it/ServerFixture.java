package io.github.keycloaksts.it;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.realm.UserBuilder;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;
import org.keycloak.testframework.server.KeycloakUrls;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What every integration test stands on: the server, its URLs, its master admin client and its clock, injected by
 * Keycloak's test framework (it injects a superclass's fields too). Each test class still says
 * {@code @KeycloakIntegrationTest(config = StsServerConfig.class)} itself: the framework reads that annotation from
 * the test class only, and runs one server for every class that names the same config. A test class of the realm
 * acme extends {@link AcmeFixture}; one with a realm of its own extends this class and injects that realm.
 */
abstract class ServerFixture {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    /**
     * Moves the server's clock ({@code Time.currentTime()}) instead of sleeping; set back to 0 after each test
     * method by the framework. {@link TimeOffSet#enableForCaches()} makes Infinispan entries expire by it too.
     */
    @InjectTimeOffSet
    TimeOffSet clock;

    String base() {
        return urls.getBase();
    }

    /** The IAM admin API of {@code realm}, called by the master realm's administrator. */
    IamApi iam(String realm) {
        return new IamApi(base(), realm, () -> admin.tokenManager().getAccessTokenString());
    }

    /** The IAM admin API of {@code realm}, called by one of its users (password {@link AcmeRealm#PASSWORD}). */
    IamApi iamAs(String realm, String username) {
        String token = Http.userToken(base(), realm, username, AcmeRealm.PASSWORD);
        return new IamApi(base(), realm, () -> token);
    }

    /**
     * A user of a test realm, set up as a person would be: enabled, email verified, signing in with
     * {@link AcmeRealm#PASSWORD}.
     */
    static UserBuilder person(String username, String firstName, String lastName, String email) {
        return UserBuilder.create(username).password(AcmeRealm.PASSWORD).enabled(true).name(firstName, lastName)
                .email(email).emailVerified(true);
    }

    /**
     * Asks {@code probe} every 100 ms until its answer passes {@code done}, for at most 10 s, and returns that answer.
     * Only for work the server does asynchronously (the "last used" flush); to let time pass, move {@link #clock}.
     */
    static <T> T eventually(String what, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T answer = probe.get();
        while (!done.test(answer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what + "; last seen: " + answer);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            answer = probe.get();
        }
        return answer;
    }
}
