package io.github.keycloaksts.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.it.Http;
import io.github.keycloaksts.it.IamApi;
import io.github.keycloaksts.it.Sts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Keycloak 26.7.3 nodes in production mode ({@code kc.sh start --optimized}) sharing PostgreSQL and clustered
 * with Keycloak's default Infinispan/JGroups stack on loopback, prepared by {@code src/test/cluster/prepare-nodes.sh}
 * ({@code mvn verify -Pcluster}, run by {@code .ci/run}). Every change goes through node A and is observed on node B,
 * with the time it took; then node A is killed under load and B must keep serving. Timings are written to
 * {@code target/cluster/report.txt}.
 */
class ClusterIT {

    private static final String A = "http://127.0.0.1:8180";
    private static final String B = "http://127.0.0.1:8280";
    private static final Path NODES = Path.of(System.getProperty("cluster.dir", "target/cluster"));
    private static final List<String> REPORT = new ArrayList<>();
    private static Process nodeA;
    private static Process nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        for (int port : new int[]{8180, 8280, 9180, 9280, 7800, 7900}) {
            assertThat(listening(port)).as("port " + port + " must be free (a node of an earlier run?)").isFalse();
        }
        nodeA = start("node-a", 8180, 9180, 7800);
        awaitReady(9180, nodeA);
        nodeB = start("node-b", 8280, 9280, 7900);
        awaitReady(9280, nodeB);
        String realm = """
                {"realm": "acme", "enabled": true,
                 "roles": {"realm": [{"name": "temp-role"}], "client": {"billing-api": [{"name": "invoices:read"}]}},
                 "groups": [{"name": "engineering"}],
                 "clients": [{"clientId": "sts-cli", "publicClient": true, "directAccessGrantsEnabled": true, "standardFlowEnabled": false},
                             {"clientId": "billing-api", "publicClient": false, "secret": "s3cret", "standardFlowEnabled": false}],
                 "users": [{"username": "alice", "enabled": true, "email": "alice@acme.test", "emailVerified": true,
                            "firstName": "Alice", "lastName": "Engineer", "groups": ["/engineering"],
                            "credentials": [{"type": "password", "value": "alice", "temporary": false}]}]}""";
        Http.Reply created = Http.send("POST", A + "/admin/realms", adminToken(A), "application/json", realm.getBytes());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    @AfterAll
    static void stopCluster() throws IOException {
        for (Process node : new Process[]{nodeA, nodeB}) {
            if (node != null) {
                kill(node, false);
            }
        }
        Files.write(NODES.resolve("report.txt"), REPORT);
        REPORT.forEach(System.out::println);
    }

    private static Process start(String node, int httpPort, int managementPort, int jgroupsPort) throws IOException {
        Path home = NODES.resolve(node);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--db-url=jdbc:postgresql://127.0.0.1:5432/kcsts_cluster", "--db-username=kcsts", "--db-password=kcsts",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort, "--hostname=" + A,
                "--cache=ispn", "--cache-stack=jdbc-ping",
                "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + jgroupsPort)
                .redirectErrorStream(true).redirectOutput(NODES.resolve(node + ".log").toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        return builder.start();
    }

    /**
     * Stops a node: kc.sh runs Keycloak's JVM as a child process, so the JVM is stopped first (SIGKILL when
     * {@code hard}, as a crash would), then the script.
     */
    private static void kill(Process node, boolean hard) {
        node.descendants().forEach(child -> {
            if (hard) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        });
        node.descendants().forEach(child -> child.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        node.destroyForcibly();
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitReady(int managementPort, Process node) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(node.isAlive()).as("node exited; see target/cluster/*.log").isTrue();
            try {
                if (Http.send("GET", "http://127.0.0.1:" + managementPort + "/health/ready", null, null, null).status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("node on management port " + managementPort + " not ready in 180 s");
    }

    private static String adminToken(String node) {
        return Http.form(node + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"))
                .json().get("access_token").asText();
    }

    private static IamApi iam(String node) {
        return new IamApi(node, "acme", () -> adminToken(node));
    }

    private static String alice(String node) {
        return Http.form(node + "/realms/acme/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "sts-cli", "username", "alice", "password", "alice"))
                .json().get("access_token").asText();
    }

    private static Http.Reply assume(String node, String subject, String role) {
        return Sts.assumeRole(node, "acme", "sts-cli", null, subject, role);
    }

    private static boolean active(String node, String token) {
        return Http.form(node + "/realms/acme/protocol/openid-connect/token/introspect",
                Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", token)).json().get("active").asBoolean();
    }

    /** Polls until the condition holds; returns the milliseconds it took (fails after 5 s). */
    private static long until(String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - start).as(what + " within 5 s").isLessThan(TimeUnit.SECONDS.toNanos(5));
            Thread.sleep(10);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        REPORT.add(String.format("%-75s %5d ms", what, millis));
        return millis;
    }

    private static String role(String name, String group) {
        return """
                {"name": "%s", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/%s"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"], "clientRoles": {"billing-api": ["invoices:read"]}}}""".formatted(name, group);
    }

    @Test
    void changesOnOneNodeAreSeenOnTheOtherAndANodeCanDie() throws Exception {
        String aliceOnB = alice(B);

        // A role created through A is used by an exchange on B.
        assertThat(iam(A).post("/roles", role("cluster-role", "engineering")).status()).isEqualTo(201);
        assertThat(until("role created on A -> exchange on B succeeds", () -> assume(B, aliceOnB, "cluster-role").status() == 200))
                .isLessThan(1000);

        // A change through A (the policy now names another group) is enforced on B.
        Http.Reply changed = iam(A).put("/roles/cluster-role", role("cluster-role", "nobody"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(until("trust policy narrowed on A -> exchange on B refused", () -> assume(B, aliceOnB, "cluster-role").status() == 403))
                .isLessThan(1000);
        assertThat(iam(A).put("/roles/cluster-role", role("cluster-role", "engineering")).status()).isEqualTo(200);
        until("trust policy widened again on A -> exchange on B succeeds", () -> assume(B, aliceOnB, "cluster-role").status() == 200);

        // A token minted on A introspects on B; revocation through A is seen by B's introspection.
        String minted = assume(A, alice(A), "cluster-role").json().get("access_token").asText();
        assertThat(until("session minted on A -> active at B's introspection", () -> active(B, minted))).isLessThan(1000);
        String single = assume(A, alice(A), "cluster-role").json().get("access_token").asText();
        String jti = Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(single.split("\\.")[1])).get("jti").asText();
        assertThat(iam(A).delete("/sessions/" + jti).status()).isEqualTo(204);
        assertThat(until("one session revoked on A -> inactive at B", () -> !active(B, single))).isLessThan(1000);
        assertThat(iam(A).post("/roles/cluster-role/revoke-sessions", "").status()).isEqualTo(200);
        assertThat(until("role's sessions revoked on A -> inactive at B", () -> !active(B, minted))).isLessThan(1000);

        // Deleted through A: refused on B at once.
        assertThat(iam(A).delete("/roles/cluster-role").status()).isEqualTo(204);
        assertThat(until("role deleted on A -> exchange on B refused", () -> assume(B, aliceOnB, "cluster-role").status() == 403))
                .isLessThan(1000);

        // Node A dies under load: B keeps serving, and no role is lost.
        for (int i = 0; i < 20; i++) {
            assertThat(iam(A).post("/roles", role("survivor-" + i, "engineering")).status()).isEqualTo(201);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger servedByB = new AtomicInteger();
        AtomicInteger failedOnB = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int worker = t;
            workers.add(load.submit(() -> {
                String subject = alice(B);
                while (running.get()) {
                    String node = worker % 2 == 0 ? B : A;
                    try {
                        int status = assume(node, subject, "survivor-" + (servedByB.get() % 20)).status();
                        if (node.equals(B)) {
                            if (status == 200) {
                                servedByB.incrementAndGet();
                            } else {
                                failedOnB.incrementAndGet();
                            }
                        }
                    } catch (RuntimeException e) {
                        if (node.equals(B)) {
                            failedOnB.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(3000);
        int beforeKill = servedByB.get();
        kill(nodeA, true);
        assertThat(listening(8180)).as("node A is gone").isFalse();
        long killedAt = System.nanoTime();
        Thread.sleep(5000);
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        load.shutdown();
        REPORT.add(String.format("%-75s %5d / %d", "exchanges served by B before / after A was killed", beforeKill,
                servedByB.get() - beforeKill));
        REPORT.add(String.format("%-75s %5d", "exchanges failed on B", failedOnB.get()));
        assertThat(failedOnB.get()).isZero();
        assertThat(servedByB.get()).isGreaterThan(beforeKill);
        JsonNode survivors = iam(B).get("/roles?search=survivor-&max=100").json();
        assertThat(survivors.size()).isEqualTo(20);
        REPORT.add(String.format("%-75s %5d ms", "B answered after A was killed (last check)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)));
    }
}
