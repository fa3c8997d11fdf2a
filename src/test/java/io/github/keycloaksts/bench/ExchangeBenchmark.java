package io.github.keycloaksts.bench;

import io.github.keycloaksts.it.AcmeRealm;
import io.github.keycloaksts.it.Http;
import io.github.keycloaksts.it.IamApi;
import io.github.keycloaksts.it.StsServerConfig;
import io.github.keycloaksts.it.Sts;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.server.KeycloakUrls;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AssumeRole against Keycloak's own grants, same server, same run, concurrent clients: assume-role exchanges,
 * Keycloak's standard token exchange (V2) of the same subject token by the same client, and client_credentials.
 * Run with {@code mvn verify -Pbenchmark}; writes {@code target/benchmark/exchange.md}. Asserts only success.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class ExchangeBenchmark {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    @Test
    void assumeRoleAgainstKeycloaksGrants() throws Exception {
        IamApi api = new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString());
        assertThat(api.post("/roles", """
                {"name": "bench-role", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Sre", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"},
                    "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"kc:PrincipalAttribute/department": "platform"}}},
                   {"Sid": "NoContractors", "Effect": "Deny", "Principal": "*", "Action": "sts:*",
                    "Condition": {"ForAnyValue:StringEquals": {"kc:Groups": "/contractors"}}}]},
                 "permissions": {"realmRoles": ["temp-role"], "clientRoles": {"billing-api": ["invoices:read"]}}}""").status())
                .isEqualTo(201);
        Http.Reply login = Http.form(Sts.tokenUrl(urls.getBase(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "alice", "password", AcmeRealm.PASSWORD));
        String subject = login.json().get("access_token").asText();

        int workers = Integer.getInteger("bench.workers", 4);
        LoadGenerator load = new LoadGenerator(workers, Duration.ofSeconds(Integer.getInteger("bench.warmup", 5)),
                Duration.ofSeconds(Integer.getInteger("bench.seconds", 15)));
        String tokenUrl = Sts.tokenUrl(urls.getBase(), "acme");
        Map<String, String> exchange = Map.of("grant_type", Sts.TOKEN_EXCHANGE, "client_id", "portal",
                "client_secret", "portal-secret", "subject_token", subject, "subject_token_type", Sts.ACCESS_TOKEN);

        // Rounds alternate the three workloads so that neither JIT warm-up nor background work favours one of them.
        LoadGenerator.Result assumeRole = null;
        LoadGenerator.Result standard = null;
        LoadGenerator.Result clientCredentials = null;
        for (int round = 0; round < Integer.getInteger("bench.rounds", 2); round++) {
            assumeRole = LoadGenerator.Result.merge(assumeRole, load.run("keycloak-sts AssumeRole exchange",
                    () -> post(tokenUrl, with(exchange, "role", "bench-role"))));
            standard = LoadGenerator.Result.merge(standard, load.run("Keycloak standard token exchange (V2)",
                    () -> post(tokenUrl, exchange)));
            clientCredentials = LoadGenerator.Result.merge(clientCredentials, load.run("Keycloak `client_credentials` grant",
                    () -> post(tokenUrl, Map.of("grant_type", "client_credentials", "client_id", "ci-pipeline",
                            "client_secret", "ci-secret"))));
        }

        load.report("exchange.md", List.of(assumeRole, standard, clientCredentials), String.format(Locale.ROOT,
                "AssumeRole throughput = %.2f × the standard token exchange, %.2f × client_credentials.",
                assumeRole.throughput() / standard.throughput(), assumeRole.throughput() / clientCredentials.throughput()));
        assertThat(assumeRole.requests()).isPositive();
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(form);
        copy.put(key, value);
        return copy;
    }

    private static HttpRequest post(String url, Map<String, String> form) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.formBody(form))).build();
    }
}
