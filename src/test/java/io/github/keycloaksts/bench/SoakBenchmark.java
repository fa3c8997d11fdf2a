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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A soak: first the peak (closed loop, the mix below), then {@code bench.soak.minutes} (default 10) at 70% of it,
 * paced, mixing AssumeRole exchanges (60%), introspections of their sessions (30%) and admin reads of the role
 * (10%). Per minute: requests, errors, p99; at the start and the end: the server's heap after a full GC (jcmd) and
 * the live role-session records (metrics). Writes {@code target/benchmark/soak.md}. Asserts zero errors.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class SoakBenchmark {

    private static final int WORKERS = 4;

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<String> sessions = new ConcurrentLinkedQueue<>();

    @Test
    void seventyPercentOfPeakForTenMinutes() throws Exception {
        IamApi api = new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString());
        api.ensureRole("""
                {"name": "soak", "maxSessionDuration": 900, "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["temp-role"], "clientRoles": {"billing-api": ["invoices:read"]}}}""");
        String subject = Http.userToken(urls.getBase(), "acme", "alice", AcmeRealm.PASSWORD);
        String adminToken = admin.tokenManager().getAccessTokenString();
        Mix mix = new Mix(subject, adminToken);

        double peak = run(Duration.ofSeconds(30), 0, mix, null).count() / 30.0;
        long heapBefore = heapAfterFullGc();
        double recordsBefore = metric("kcsts_role_session_records");
        double rate = 0.7 * peak;
        int minutes = Integer.getInteger("bench.soak.minutes", 10);
        List<String> rows = new ArrayList<>();
        long errors = 0;
        for (int minute = 1; minute <= minutes; minute++) {
            Window window = run(Duration.ofMinutes(1), rate, mix, admin);
            errors += window.errors();
            rows.add(String.format(Locale.ROOT, "| %d | %,d | %d | %,d |", minute, window.count(), window.errors(), window.p99Micros()));
        }
        long heapAfter = heapAfterFullGc();
        double recordsAfter = metric("kcsts_role_session_records");

        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "Keycloak 26.7.3, embedded H2, loopback, %d clients, %d cores. Peak of the mix: %.0f req/s; soak at %.0f req/s "
                        + "(70%%) for %d minutes: 60%% AssumeRole, 30%% introspection, 10%% admin role reads.%n%n"
                        + "| minute | requests | errors | p99 µs |%n|---:|---:|---:|---:|%n",
                WORKERS, Runtime.getRuntime().availableProcessors(), peak, rate, minutes));
        rows.forEach(row -> report.append(row).append('\n'));
        report.append(String.format(Locale.ROOT, "%nServer heap after a full GC: %,d KB before, %,d KB after. Live role-session "
                + "records on the node: %.0f before, %.0f after (each expires with its 900 s session).%n",
                heapBefore / 1024, heapAfter / 1024, recordsBefore, recordsAfter));
        Path out = Path.of("target", "benchmark", "soak.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
        assertThat(errors).isZero();
    }

    /** The three kinds of request, in proportion 6:3:1. */
    private final class Mix {
        private final String subject;
        private final String adminToken;
        private final AtomicLong next = new AtomicLong();

        Mix(String subject, String adminToken) {
            this.subject = subject;
            this.adminToken = adminToken;
        }

        HttpRequest next() {
            long n = next.getAndIncrement() % 10;
            String session = sessions.peek();
            if (n < 6 || session == null) {
                return form(Sts.tokenUrl(urls.getBase(), "acme"), Map.of("grant_type", Sts.TOKEN_EXCHANGE, "client_id", "portal",
                        "client_secret", "portal-secret", "subject_token", subject, "subject_token_type", Sts.ACCESS_TOKEN,
                        "role", "soak", "duration_seconds", "900"));
            }
            if (n < 9) {
                return form(Sts.tokenUrl(urls.getBase(), "acme") + "/introspect",
                        Map.of("client_id", "billing-api", "client_secret", "s3cret", "token", session));
            }
            return HttpRequest.newBuilder(URI.create(urls.getBase() + "/admin/realms/acme/iam/roles/soak"))
                    .header("Authorization", "Bearer " + adminToken).GET().build();
        }
    }

    private static HttpRequest form(String url, Map<String, String> form) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.formBody(form))).build();
    }

    private record Window(long count, long errors, long[] latencies) {
        long p99Micros() {
            return latencies.length == 0 ? 0 : latencies[(int) (latencies.length * 0.99)] / 1000;
        }
    }

    /**
     * Sends the mix for a while: closed loop when {@code rate} is 0, otherwise paced to that many requests per second
     * over all workers. With an admin client, the subject and admin tokens are renewed for the window.
     */
    private Window run(Duration length, double rate, Mix mix, Keycloak adminClient) throws Exception {
        // Tokens are renewed each window: alice's subject token and the admin token live 5 minutes and 1 minute.
        Mix current = adminClient == null ? mix
                : new Mix(Http.userToken(urls.getBase(), "acme", "alice", AcmeRealm.PASSWORD), adminClient.tokenManager().getAccessTokenString());
        long end = System.nanoTime() + length.toNanos();
        long intervalNanos = rate == 0 ? 0 : (long) (WORKERS * 1e9 / rate);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        for (int w = 0; w < WORKERS; w++) {
            pool.submit(() -> {
                long due = System.nanoTime();
                while (System.nanoTime() < end) {
                    if (intervalNanos > 0) {
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        due += intervalNanos;
                    }
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(current.next(), HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - start);
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (response.body().startsWith("{\"access_token\"")) {
                            Matcher token = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
                            if (token.find()) {
                                sessions.poll();
                                sessions.add(token.group(1));
                            }
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(length.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Window(sorted.length, errors.get(), sorted);
    }

    private double metric(String name) {
        String metrics = Http.send("GET", urls.getMetric(), null, null, null).body();
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : -1;
    }

    /** The Keycloak server's used heap right after a full GC, read with jcmd from the JDK running this test. */
    private static long heapAfterFullGc() throws Exception {
        ProcessHandle server = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")
                        || p.info().commandLine().orElse("").contains("io.quarkus.bootstrap.runner.QuarkusEntryPoint"))
                .findFirst().orElseThrow(() -> new AssertionError("Keycloak server process not found"));
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, String.valueOf(server.pid()), "GC.run");
        String info = run(jcmd, String.valueOf(server.pid()), "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
        assertThat(used.find()).as(info).isTrue();
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output + Arrays.toString(command);
    }
}
