package io.github.keycloaksts.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP load generator for loopback servers: a fixed number of workers each send one request at a
 * time for a fixed duration, after a warm-up. Bounded in time and count, stops by itself; any non-2xx answer
 * fails the run (a benchmark of errors measures nothing).
 */
final class LoadGenerator {

    /** @param latencies every measured latency in nanoseconds, sorted */
    record Result(String name, long requests, double seconds, long[] latencies) {

        static Result merge(Result a, Result b) {
            if (a == null) {
                return b;
            }
            long[] all = java.util.stream.LongStream.concat(Arrays.stream(a.latencies), Arrays.stream(b.latencies)).sorted().toArray();
            return new Result(a.name, a.requests + b.requests, a.seconds + b.seconds, all);
        }

        long p50Micros() {
            return latencies[latencies.length / 2] / 1000;
        }

        long p99Micros() {
            return latencies[(int) (latencies.length * 0.99)] / 1000;
        }

        double throughput() {
            return requests / seconds;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %,.0f | %,d | %,d |", name, throughput(), p50Micros(), p99Micros());
        }
    }

    private static final long MAX_REQUESTS_PER_WORKER = 2_000_000;

    /**
     * Writes a Markdown report (setup line, one row per result, a closing sentence) to target/benchmark/{@code file}
     * and prints it.
     */
    void report(String file, List<Result> results, String conclusion) throws java.io.IOException {
        StringBuilder report = new StringBuilder()
                .append("Keycloak 26.7.3, embedded H2, loopback, ").append(workers).append(" concurrent clients, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores.\n\n")
                .append("| request | requests/s | p50 µs | p99 µs |\n|---|---:|---:|---:|\n");
        for (Result result : results) {
            report.append(result.row()).append('\n');
        }
        report.append('\n').append(conclusion).append('\n');
        java.nio.file.Path out = java.nio.file.Path.of("target", "benchmark", file);
        java.nio.file.Files.createDirectories(out.getParent());
        java.nio.file.Files.writeString(out, report.toString());
        System.out.println(report);
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int workers;
    private final Duration warmUp;
    private final Duration measure;

    LoadGenerator(int workers, Duration warmUp, Duration measure) {
        this.workers = workers;
        this.warmUp = warmUp;
        this.measure = measure;
    }

    Result run(String name, Supplier<HttpRequest> request) throws Exception {
        drive(request, warmUp);
        long start = System.nanoTime();
        List<long[]> latencies = drive(request, measure);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(l -> l > 0).sorted().toArray();
        return new Result(name, all.length, seconds, all);
    }

    private List<long[]> drive(Supplier<HttpRequest> request, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long deadline = System.nanoTime() + duration.toNanos();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    long[] samples = new long[1 << 16];
                    int count = 0;
                    while (System.nanoTime() < deadline && count < MAX_REQUESTS_PER_WORKER) {
                        long t0 = System.nanoTime();
                        HttpResponse<Void> response = client.send(request.get(), HttpResponse.BodyHandlers.discarding());
                        long elapsed = System.nanoTime() - t0;
                        if (response.statusCode() / 100 != 2) {
                            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + response.uri());
                        }
                        if (count == samples.length) {
                            samples = Arrays.copyOf(samples, samples.length * 2);
                        }
                        samples[count++] = elapsed;
                    }
                    return Arrays.copyOf(samples, count);
                }));
            }
            List<long[]> results = new ArrayList<>();
            for (Future<long[]> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
