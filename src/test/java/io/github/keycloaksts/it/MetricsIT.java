package io.github.keycloaksts.it;

import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The extension's meters on Keycloak's own metrics endpoint (management port, Prometheus format). */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class MetricsIT extends AcmeFixture {

    @Test
    void exchangesPolicyEvaluationCacheAndRecordsAreMeasured() {
        IamApi api = api();
        api.ensureRole("""
                {"name": "measured", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        String metricsBefore = metrics();
        String alice = userToken("alice");
        String carol = userToken("carol");

        for (int i = 0; i < 3; i++) {
            assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "measured").status()).isEqualTo(200);
        }
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, carol, "measured").status()).isEqualTo(403);
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "no-such-role").status()).isEqualTo(403);
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "measured", "duration_seconds", "5").status())
                .isEqualTo(400);
        // Another role changes: the role is read again from the database, its policy is not compiled again.
        api.ensureRole("""
                {"name": "measured-neighbour", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]}}""");
        assertThat(Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "measured").status()).isEqualTo(200);

        String metrics = metrics();
        assertThat(delta(metricsBefore, metrics, "kcsts_exchanges_total{caller=\"user\",outcome=\"granted\",reason=\"ok\"}")).isEqualTo(4);
        assertThat(value(metrics, "kcsts_exchanges_total{caller=\"unknown\",outcome=\"access_denied\",reason=\"implicit_deny\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kcsts_exchanges_total{caller=\"unknown\",outcome=\"access_denied\",reason=\"role_not_found\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kcsts_exchanges_total{caller=\"unknown\",outcome=\"invalid_request\",reason=\"duration_seconds\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kcsts_policy_evaluation_seconds_count")).isGreaterThanOrEqualTo(4);
        // From memory: alice's second and third exchange and carol's; from the database: "no-such-role" and the
        // exchange after the other role changed, which finds the compiled policy cached.
        assertThat(delta(metricsBefore, metrics, "cache_gets_total{cache=\"kcsts_iam_roles\",result=\"hit\"}")).isGreaterThanOrEqualTo(3);
        assertThat(delta(metricsBefore, metrics, "cache_gets_total{cache=\"kcsts_iam_roles\",result=\"miss\"}")).isGreaterThanOrEqualTo(2);
        assertThat(delta(metricsBefore, metrics, "cache_gets_total{cache=\"kcsts_trust_policies\",result=\"hit\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kcsts_role_session_records")).isGreaterThanOrEqualTo(3);
    }

    private String metrics() {
        Http.Reply reply = Http.send("GET", urls.getMetric(), null, null, null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /** The value of one series (name and labels exactly as Prometheus prints them, labels sorted), or 0. */
    private static double value(String metrics, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
