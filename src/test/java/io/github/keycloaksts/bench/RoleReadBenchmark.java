package io.github.keycloaksts.bench;

import io.github.keycloaksts.it.AcmeRealm;
import io.github.keycloaksts.it.IamApi;
import io.github.keycloaksts.it.StsServerConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.server.KeycloakUrls;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Is reading an IAM role from the database fast enough for the token-exchange hot path, or does it need a cache?
 * Measured end to end against the real server, in one run, beside Keycloak's own reads and grants:
 * <ul>
 *     <li>{@code GET .../iam/roles/{name}}: our read (one indexed row, its tags and grants, names resolved)</li>
 *     <li>{@code GET .../roles/{name}}: Keycloak reading a realm role from its realm cache, same admin auth</li>
 *     <li>{@code client_credentials}: Keycloak's cheapest token grant, the scale of a token exchange</li>
 * </ul>
 * Run with {@code mvn verify -Pbenchmark}; writes {@code target/benchmark/role-read.md}. Not a timed test: it
 * asserts nothing about speed, only that every request succeeded.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleReadBenchmark {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    @Test
    void roleReadAgainstKeycloakReadsAndGrants() throws Exception {
        IamApi api = new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString());
        assertThat(api.post("/roles", """
                {"name": "bench-role", "path": "/bench/", "tags": {"team": "perf", "tier": "1"},
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                   "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["reports-reader", "reports-writer"],
                                 "clientRoles": {"billing-api": ["invoices:read"]}}}""").status()).isEqualTo(201);
        realm.admin().clients().create(org.keycloak.testframework.realm.ClientBuilder.create("bench-client")
                .secret("bench-secret").serviceAccountsEnabled(true).publicClient(false).build()).close();

        int workers = Integer.getInteger("bench.workers", 4);
        LoadGenerator load = new LoadGenerator(workers, Duration.ofSeconds(Integer.getInteger("bench.warmup", 5)),
                Duration.ofSeconds(Integer.getInteger("bench.seconds", 15)));
        String admins = urls.getBase() + "/admin/realms/acme";

        LoadGenerator.Result keycloakRole = load.run("Keycloak `GET /roles/{name}` (cached)",
                () -> get(admins + "/roles/reports-reader"));
        LoadGenerator.Result iamRole = load.run("keycloak-sts `GET /iam/roles/{name}` (database)",
                () -> get(admins + "/iam/roles/bench-role"));
        String form = "grant_type=client_credentials&client_id=bench-client&client_secret="
                + URLEncoder.encode("bench-secret", StandardCharsets.UTF_8);
        LoadGenerator.Result grant = load.run("Keycloak `client_credentials` grant",
                () -> HttpRequest.newBuilder(URI.create(urls.getToken("acme")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build());

        load.report("role-read.md", List.of(keycloakRole, iamRole, grant), String.format(Locale.ROOT,
                "IAM role read throughput = %.2f × Keycloak's cached role read, %.2f × Keycloak's client_credentials grant.",
                iamRole.throughput() / keycloakRole.throughput(), iamRole.throughput() / grant.throughput()));
        assertThat(iamRole.requests()).isPositive();
    }

    private HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString()).GET().build();
    }
}
