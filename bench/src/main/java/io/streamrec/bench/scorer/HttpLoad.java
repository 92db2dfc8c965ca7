package io.streamrec.bench.scorer;

import io.streamrec.common.report.BenchSection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Requests per second through the scorer's real HTTP server: {@code HttpBenchServer} (Javalin, the real query code
 * over in-memory stores holding 62,000 items × 32 dims and 1,000 users with 20 ratings each) in a JVM of its own, and
 * closed-loop clients in this one, each sending {@code GET /users/{random}/recommendations?k=10} back to back. Both
 * share the machine's cores, as wrk would.
 */
final class HttpLoad {

    record Result(int connections, long requests, long errors, double seconds, long p50Micros, long p99Micros,
                  Percentiles local, Percentiles forwarded) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private HttpLoad() {
    }

    static void measure(BenchSection s, int items, double secondsPerLevel) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), "io.streamrec.scorer.http.HttpBenchServer", "0",
                Integer.toString((int) Math.ceil(secondsPerLevel * 3 + 30)), Integer.toString(items), "32", "1000"));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String ready = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    ready = line;
                    break;
                }
            }
            if (ready == null) {
                throw new IllegalStateException("HttpBenchServer exited before it was ready (exit " + server.waitFor() + ")");
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "http-bench-server-output");
            drain.setDaemon(true);
            drain.start();
            int port = Integer.parseInt(ready.split(" ")[1]);
            String base = "http://127.0.0.1:" + port;
            System.err.println("bench scorer: HTTP load against " + ready);
            run(base, 16, Math.min(5, secondsPerLevel));   // warm-up: JIT on both sides, not reported
            List<Result> results = new ArrayList<>();
            for (int c : new int[]{1, 16}) {
                results.add(run(base, c, secondsPerLevel));
            }
            s.heading("HTTP: recommendations per second on loopback");
            s.text("`GET /users/{id}/recommendations?k=10` for random users of 1,000 (each with 20 rated items to exclude) "
                    + "against the scorer's real HTTP server and query code (`HttpBenchServer`: Javalin, JSON, titles) over "
                    + "in-memory stores of " + BenchSection.count(items) + " items × 32 dims, in its own JVM with the SIMD kernel. "
                    + "Closed-loop Java clients (`java.net.http`) in another JVM on the same two cores, "
                    + BenchSection.fixed(secondsPerLevel, 0) + " s per level after a warm-up.");
            BenchSection.Table t = s.table("connections", "requests", "errors", "requests/s", "p50 ms", "p99 ms");
            for (Result r : results) {
                t.row(r.connections(), BenchSection.count(r.requests()), r.errors(), BenchSection.count(r.requests() / r.seconds()),
                        BenchSection.fixed(r.p50Micros() / 1000.0, 2), BenchSection.fixed(r.p99Micros() / 1000.0, 2));
            }
            t.end();
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static Result run(String base, int connections, double seconds) throws Exception {
        return load(List.of(base), connections, seconds, 1000);
    }

    /**
     * Closed-loop clients, each sending {@code GET /users/{random of users}/recommendations?k=10} back to back to a base
     * drawn at random per request; a request counts as forwarded when the {@code X-Streamrec-Instance} that answered is
     * not the address asked (a scale-out scorer forwards a user it does not own to the owner).
     */
    static Result load(List<String> bases, int connections, double seconds, int users) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        List<Future<Latencies>> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            long seed = w;
            workers.add(pool.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                Latencies lat = new Latencies();
                while (System.nanoTime() < end) {
                    String base = bases.get(rnd.nextInt(bases.size()));
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/users/" + rnd.nextInt(users) + "/recommendations?k=10"))
                            .timeout(Duration.ofSeconds(10)).GET().build();
                    long s0 = System.nanoTime();
                    boolean forwarded = false;
                    try {
                        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200 || r.body().length == 0) {
                            lat.errors++;
                        }
                        forwarded = r.headers().firstValue(INSTANCE).map(i -> !base.endsWith("//" + i)).orElse(false);
                    } catch (IOException e) {
                        lat.errors++;
                    }
                    lat.add((System.nanoTime() - s0) / 1000, forwarded);
                }
                return lat;
            }));
        }
        Latencies all = new Latencies();
        for (Future<Latencies> f : workers) {
            all.addAll(f.get());
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        pool.shutdownNow();
        if (all.local.n + all.forwarded.n == 0) {
            throw new IllegalStateException("no HTTP request completed");
        }
        long[] both = new long[all.local.n + all.forwarded.n];
        System.arraycopy(all.local.sorted(), 0, both, 0, all.local.n);
        System.arraycopy(all.forwarded.sorted(), 0, both, all.local.n, all.forwarded.n);
        Arrays.sort(both);
        return new Result(connections, both.length, all.errors, elapsed, BenchSection.percentile(both, 0.5),
                BenchSection.percentile(both, 0.99), all.local.summary(), all.forwarded.summary());
    }

    /** The header a scale-out scorer names the answering instance in (ClusterRequests.INSTANCE; not on this classpath). */
    static final String INSTANCE = "X-Streamrec-Instance";

    /** Latencies in µs of one kind of request: count, p50, p99 (zeros when none). */
    record Percentiles(long requests, long p50Micros, long p99Micros) {
    }

    private static final class Samples {
        long[] v = new long[1 << 12];
        int n;

        void add(long micros) {
            if (n == v.length) {
                v = Arrays.copyOf(v, n * 2);
            }
            v[n++] = micros;
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(v, n);
            Arrays.sort(s);
            return s;
        }

        Percentiles summary() {
            long[] s = sorted();
            return n == 0 ? new Percentiles(0, 0, 0) : new Percentiles(n, BenchSection.percentile(s, 0.5), BenchSection.percentile(s, 0.99));
        }
    }

    private static final class Latencies {
        final Samples local = new Samples();
        final Samples forwarded = new Samples();
        long errors;

        void add(long micros, boolean wasForwarded) {
            (wasForwarded ? forwarded : local).add(micros);
        }

        void addAll(Latencies o) {
            for (int i = 0; i < o.local.n; i++) {
                local.add(o.local.v[i]);
            }
            for (int i = 0; i < o.forwarded.n; i++) {
                forwarded.add(o.forwarded.v[i]);
            }
            errors += o.errors;
        }
    }
}
