package io.github.keycloaksts.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Keycloak distribution of its own with our jar in {@code providers/}, for tests that must stop, restart or run
 * {@code kc.sh} commands on a stopped server's database (Keycloak's test framework cannot restart its server within a
 * test). {@code kc.sh start-dev} keeps its H2 database under {@code data/} across restarts.
 */
final class OwnNode {

    private final Path root;
    private final int port;
    private Process running;

    /** Unpacks the default server's distribution (system property {@code keycloak.dist.zip}) into {@code target/<name>}. */
    OwnNode(String name) throws Exception {
        this(name, Path.of(System.getProperty("keycloak.dist.zip", System.getProperty("user.home")
                + "/.m2/repository/org/keycloak/keycloak-quarkus-dist/26.7.3/keycloak-quarkus-dist-26.7.3.zip")));
    }

    OwnNode(String name, Path zip) throws Exception {
        assertThat(zip).as("the Keycloak distribution").exists();
        root = Path.of("target", name);
        deleteTree(root);
        Files.createDirectories(root);
        Process unzip = new ProcessBuilder("unzip", "-q", zip.toString(), "-d", root.toString()).inheritIO().start();
        assertThat(unzip.waitFor()).isZero();
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("keycloak-sts-.*\\.jar")
                    && !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar")).findFirst().orElseThrow();
            Files.copy(jar, home().resolve("providers").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        port = freePort();
    }

    /** Where logs and files of this node go. */
    Path dir() {
        return root;
    }

    /** The distribution's one top-level directory ({@code keycloak-<version>}). */
    Path home() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("keycloak-"))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String adminToken() {
        return Http.form(base() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"))
                .json().get("access_token").asText();
    }

    /** {@code kc.sh start-dev} on this node's port, output to {@code log}; returns once the server answers. */
    void start(String log, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(root.resolve(log).toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        running = builder.start();
        long deadline = System.currentTimeMillis() + 900_000; // a loaded 2-core machine needs minutes for the first start
        while (System.currentTimeMillis() < deadline) {
            assertThat(running.isAlive()).as("Keycloak exited; see " + root.resolve(log)).isTrue();
            try {
                if (Http.send("GET", base() + "/realms/master", null, null, null).status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Keycloak not ready in 900 s; see " + root.resolve(log));
    }

    /** A graceful stop (SIGTERM to Keycloak's JVM, which kc.sh runs as its child), as a container runtime does. */
    void stop() {
        if (running == null) {
            return;
        }
        running.descendants().forEach(ProcessHandle::destroy);
        running.descendants().forEach(child -> child.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        running.destroy();
        running.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        running = null;
    }

    /** A {@code kc.sh} command run to its end on the stopped node (export, import); its output goes to {@code log}. */
    Run kc(String log, String... arguments) throws Exception {
        assertThat(running).as("kc.sh " + arguments[0] + " runs on a stopped node").isNull();
        // In start-dev's profile: otherwise each command rebuilds the server for production and the next start back.
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/kc.sh").toString(), "--profile=dev"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(root.resolve(log).toFile()).start();
        assertThat(process.waitFor(900, TimeUnit.SECONDS)).as("kc.sh " + String.join(" ", arguments) + " ended").isTrue();
        return new Run(process.exitValue(), Files.readString(root.resolve(log)));
    }

    record Run(int exitCode, String output) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
