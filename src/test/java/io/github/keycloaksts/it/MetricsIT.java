package io.github.keycloaksts.it;

import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.server.KeycloakUrls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The extension's meters on Keycloak's own metrics endpoint (management port, Prometheus format). */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class MetricsIT {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    @Test
    void exchangesPolicyEvaluationCacheAndRecordsAreMeasured() {
        new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString()).ensureRole("""
                {"name": "measured", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        String metricsBefore = metrics();
        String alice = Http.userToken(urls.getBase(), "acme", "alice", AcmeRealm.PASSWORD);
        String carol = Http.userToken(urls.getBase(), "acme", "carol", AcmeRealm.PASSWORD);

        for (int i = 0; i < 3; i++) {
            assertThat(Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, alice, "measured").status()).isEqualTo(200);
        }
        assertThat(Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, carol, "measured").status()).isEqualTo(403);
        assertThat(Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, alice, "no-such-role").status()).isEqualTo(403);
        assertThat(Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, alice, "measured", "duration_seconds", "5").status())
                .isEqualTo(400);

        String metrics = metrics();
        assertThat(value(metrics, "kcsts_exchanges_total{caller=\"user\",outcome=\"granted\",reason=\"ok\"}")
                - value(metricsBefore, "kcsts_exchanges_total{caller=\"user\",outcome=\"granted\",reason=\"ok\"}")).isEqualTo(3);
        assertThat(value(metrics, "kcsts_exchanges_total{caller=\"unknown\",outcome=\"access_denied\",reason=\"implicit_deny\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kcsts_exchanges_total{caller=\"unknown\",outcome=\"access_denied\",reason=\"role_not_found\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kcsts_exchanges_total{caller=\"unknown\",outcome=\"invalid_request\",reason=\"duration_seconds\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kcsts_policy_evaluation_seconds_count")).isGreaterThanOrEqualTo(4);
        assertThat(value(metrics, "cache_gets_total{cache=\"kcsts_trust_policies\",result=\"hit\"}")).isGreaterThanOrEqualTo(2);
        // The role is read from the database once, then from memory; "no-such-role" is a miss each time.
        assertThat(value(metrics, "cache_gets_total{cache=\"kcsts_iam_roles\",result=\"hit\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(metrics, "cache_gets_total{cache=\"kcsts_iam_roles\",result=\"miss\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(metrics, "kcsts_role_session_records")).isGreaterThanOrEqualTo(3);
    }

    private String metrics() {
        Http.Reply reply = Http.send("GET", urls.getMetric(), null, null, null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    /** The value of one series (name and labels exactly as Prometheus prints them, labels sorted), or 0. */
    private static double value(String metrics, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
