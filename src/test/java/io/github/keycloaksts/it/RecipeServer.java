package io.github.keycloaksts.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One resource-server recipe of {@code recipes/} (built by the pom's {@code recipes-build} execution) running as its
 * own process on a free loopback port, its output in {@code target/recipes/<name>.log}.
 */
final class RecipeServer {

    static final File RECIPES = new File("recipes");
    private static final File LOGS = new File("target/recipes");

    private final String name;
    private final Process process;
    private final int port;
    private final File log;

    private RecipeServer(String name, Process process, int port, File log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code command} in {@code directory} with {@code environment} and {@code PORT} set to a free port. */
    static RecipeServer start(String name, File directory, List<String> command, Map<String, String> environment) {
        int port = freeLoopbackPort();
        File log = new File(LOGS, name + ".log");
        try {
            Files.createDirectories(LOGS.toPath());
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory).redirectErrorStream(true)
                    .redirectOutput(log);
            builder.environment().putAll(environment);
            builder.environment().put("PORT", Integer.toString(port));
            return new RecipeServer(name, builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + command + ")", e);
        }
    }

    /** The recipe's dependencies and jar come from the build; say so instead of failing obscurely. */
    static File built(String path) {
        File file = new File(RECIPES, path);
        if (!file.exists()) {
            throw new AssertionError(file + " is missing: the recipes are built by `mvn verify` (not with -Dskip.recipes=true)"
                    + " or by hand with `bash recipes/build.sh`");
        }
        return file;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /**
     * Waits until the server answers {@code probe} without a token with 401 (it is up and guarding), for at most
     * {@code limit}; fails with its log if it exits or does not answer in time.
     */
    RecipeServer awaitGuarding(String probe, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                int status = Http.send("GET", url(probe), null, null, null).status();
                if (status == 401) {
                    return this;
                }
                throw new AssertionError(name + " answered " + status + " without a token at " + probe + ":\n" + log());
            } catch (UncheckedIOException notYetListening) {
                sleep(250);
            }
        }
        throw new AssertionError(name + " did not answer within " + limit.toSeconds() + " s:\n" + log());
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void stopAll(List<RecipeServer> servers) {
        for (RecipeServer server : new ArrayList<>(servers)) {
            server.stop();
        }
        servers.clear();
    }

    String log() {
        try {
            return Files.readString(log.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
