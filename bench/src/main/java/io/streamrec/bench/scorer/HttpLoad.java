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

    record Result(int connections, long requests, long errors, double seconds, long p50Micros, long p99Micros) {
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
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        List<Future<long[]>> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            long seed = w;
            workers.add(pool.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                long[] lat = new long[1 << 16];
                int n = 0;
                long errors = 0;
                while (System.nanoTime() < end) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/users/" + rnd.nextInt(1000) + "/recommendations?k=10"))
                            .timeout(Duration.ofSeconds(10)).GET().build();
                    long s0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200 || r.body().length == 0) {
                            errors++;
                        }
                    } catch (IOException e) {
                        errors++;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = (System.nanoTime() - s0) / 1000;
                }
                long[] out = Arrays.copyOf(lat, n + 1);
                out[n] = errors;
                return out;
            }));
        }
        long[] all = new long[0];
        long errors = 0;
        for (Future<long[]> f : workers) {
            long[] r = f.get();
            errors += r[r.length - 1];
            int from = all.length;
            all = Arrays.copyOf(all, from + r.length - 1);
            System.arraycopy(r, 0, all, from, r.length - 1);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        pool.shutdownNow();
        Arrays.sort(all);
        if (all.length == 0) {
            throw new IllegalStateException("no HTTP request completed");
        }
        return new Result(connections, all.length, errors, elapsed, BenchSection.percentile(all, 0.5), BenchSection.percentile(all, 0.99));
    }
}
