package io.github.keycloaksts.bench;

import io.github.keycloaksts.it.AcmeRealm;
import io.github.keycloaksts.it.Http;
import io.github.keycloaksts.it.IamApi;
import io.github.keycloaksts.it.Sts;
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
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AssumeRole throughput in a realm with 10 IAM roles, then the same realm with 10 000 (imported 1000 at a time):
 * the role is found by an indexed lookup and its compiled policy is cached per row version, so the number of
 * roles should not matter. 10 roles are measured before the 10 000 exist and after they are deleted (the
 * average), 10 000 in between. Run with {@code mvn verify -Pbenchmark}; writes {@code target/benchmark/role-scale.md}.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleScaleBenchmark {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    @Test
    void exchangeThroughputDoesNotDependOnTheNumberOfRoles() throws Exception {
        IamApi api = new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString());
        importRoles(api, 0, 10);
        String subject = Http.userToken(urls.getBase(), "acme", "alice", AcmeRealm.PASSWORD);
        String tokenUrl = Sts.tokenUrl(urls.getBase(), "acme");
        Map<String, String> form = new HashMap<>(Map.of("grant_type", Sts.TOKEN_EXCHANGE, "client_id", "portal",
                "client_secret", "portal-secret", "subject_token", subject, "subject_token_type", Sts.ACCESS_TOKEN,
                "role", "scale-7"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.formBody(form))).build();
        LoadGenerator load = new LoadGenerator(Integer.getInteger("bench.workers", 4),
                Duration.ofSeconds(Integer.getInteger("bench.warmup", 5)), Duration.ofSeconds(Integer.getInteger("bench.seconds", 15)));

        // A fresh server is slower for its first minute (JIT): warm it up before the first measurement, and measure
        // 10 roles both before the 10 000 are added and after they are deleted again.
        load.run("warm-up", () -> request);
        LoadGenerator.Result few = load.run("AssumeRole, realm with 10 IAM roles", () -> request);
        for (int batch = 0; batch < 10; batch++) {
            importRoles(api, 10 + batch * 999, 999);
        }
        assertThat(api.get("/roles?max=1").header("X-Total-Count")).isEqualTo("10000");
        LoadGenerator.Result many = null;
        for (int round = 0; round < 2; round++) {
            many = LoadGenerator.Result.merge(many, load.run("AssumeRole, realm with 10 000 IAM roles", () -> request));
        }
        for (int i = 10; i < 10_000; i++) {
            assertThat(api.delete("/roles/scale-" + i).status()).isEqualTo(204);
        }
        few = LoadGenerator.Result.merge(few, load.run("AssumeRole, realm with 10 IAM roles", () -> request));
        load.report("role-scale.md", List.of(few, many), String.format(Locale.ROOT,
                "Throughput with 10 000 roles = %.2f × with 10 roles.", many.throughput() / few.throughput()));
        assertThat(many.requests()).isPositive();
    }

    /** Roles scale-<from> .. scale-<from+count-1>, each trusting the engineering group, in one import. */
    private static void importRoles(IamApi api, int from, int count) {
        StringBuilder roles = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            roles.append(i == from ? "" : ",").append("""
                    {"name": "scale-%d", "path": "/scale/%d/", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                       {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"kc:PrincipalAttribute/department": "platform"}}}]},
                     "permissions": {"realmRoles": ["temp-role"]}}""".formatted(i, i % 50));
        }
        Http.Reply imported = api.post("/import", "{\"realm\": \"acme\", \"roles\": [" + roles + "]}");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    }
}
