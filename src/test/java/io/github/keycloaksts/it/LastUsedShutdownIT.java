package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Last used" survives a graceful shutdown: the uses a node keeps in memory are written when it stops, while the
 * database is still open. Keycloak's test framework cannot restart its server within a test, so this test runs its
 * own distribution ({@code kc.sh start-dev}, its H2 database under {@code data/} kept across the restart) with the
 * flush interval at an hour, so that only the write at shutdown can put {@code lastUsed} in the database.
 */
class LastUsedShutdownIT {

    private static final Path HOME = Path.of("target", "shutdown-node");
    private static final String SHUTDOWN_FAILURE = "Could not write the last uses of IAM roles at shutdown";
    private static int port;
    private static Process node;

    @BeforeAll
    static void install() throws Exception {
        Path zip = Path.of(System.getProperty("keycloak.dist.zip", System.getProperty("user.home")
                + "/.m2/repository/org/keycloak/keycloak-quarkus-dist/26.7.3/keycloak-quarkus-dist-26.7.3.zip"));
        assertThat(zip).as("the Keycloak distribution (system property keycloak.dist.zip)").exists();
        deleteTree(HOME);
        Files.createDirectories(HOME);
        Process unzip = new ProcessBuilder("unzip", "-q", zip.toString(), "-d", HOME.toString()).inheritIO().start();
        assertThat(unzip.waitFor()).isZero();
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("keycloak-sts-.*\\.jar")
                    && !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar")).findFirst().orElseThrow();
            Files.copy(jar, home().resolve("providers").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            stop(node);
        }
    }

    /** The distribution's one top-level directory ({@code keycloak-<version>}). */
    private static Path home() {
        try (Stream<Path> dirs = Files.list(HOME)) {
            return dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + port;
    }

    private static Process start(String log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home().resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort(),
                "--spi-oauth2-token-exchange--keycloak-sts-assume-role--last-used-flush-seconds=3600")
                .redirectErrorStream(true).redirectOutput(HOME.resolve(log).toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        Process started = builder.start();
        long deadline = System.currentTimeMillis() + 900_000; // a loaded 2-core machine needs minutes for the first start
        while (System.currentTimeMillis() < deadline) {
            assertThat(started.isAlive()).as("Keycloak exited; see " + HOME.resolve(log)).isTrue();
            try {
                if (Http.send("GET", base() + "/realms/master", null, null, null).status() == 200) {
                    return started;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Keycloak not ready in 900 s; see " + HOME.resolve(log));
    }

    /** A graceful stop (SIGTERM to Keycloak's JVM, which kc.sh runs as its child), as a container runtime does. */
    private static void stop(Process script) {
        script.descendants().forEach(ProcessHandle::destroy);
        script.descendants().forEach(child -> child.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        script.destroy();
        script.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String adminToken() {
        return Http.form(base() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"))
                .json().get("access_token").asText();
    }

    @Test
    void theLastUseBeforeAGracefulStopIsThereAfterTheRestart() throws Exception {
        node = start("first.log");
        Http.Reply realm = Http.send("POST", base() + "/admin/realms", adminToken(), "application/json", """
                {"realm": "acme", "enabled": true,
                 "users": [{"username": "alice", "enabled": true, "email": "alice@acme.test", "emailVerified": true,
                            "firstName": "Alice", "lastName": "Engineer",
                            "credentials": [{"type": "password", "value": "alice", "temporary": false}]}]}"""
                .getBytes(StandardCharsets.UTF_8));
        assertThat(realm.status()).as(realm.toString()).isEqualTo(201);
        IamApi iam = new IamApi(base(), "acme", LastUsedShutdownIT::adminToken);
        Http.Reply role = iam.post("/roles", """
                {"name": "used-before-stop", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"}, "Action": "sts:AssumeRole"}]}}""");
        assertThat(role.status()).as(role.toString()).isEqualTo(201);
        String alice = Http.userToken(base(), "acme", "alice", "alice");
        long before = System.currentTimeMillis();
        Http.Reply assumed = Sts.assumeRole(base(), "acme", "admin-cli", null, alice, "used-before-stop");
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);
        // The flush interval is an hour: nothing is written while the node runs.
        assertThat(iam.get("/roles/used-before-stop").json().get("lastUsed").isNull()).isTrue();

        stop(node);
        String firstLog = Files.readString(HOME.resolve("first.log"));
        assertThat(firstLog).as("the node stopped gracefully").contains("stopped in");
        assertThat(firstLog).doesNotContain(SHUTDOWN_FAILURE);

        node = start("second.log");
        JsonNode lastUsed = iam.get("/roles/used-before-stop").json().get("lastUsed");
        assertThat(lastUsed.isNull()).as("lastUsed after the restart").isFalse();
        assertThat(lastUsed.get("clientId").asText()).isEqualTo("admin-cli");
        assertThat(java.time.Instant.parse(lastUsed.get("at").asText()).toEpochMilli())
                .isBetween(before - 1000, System.currentTimeMillis());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
