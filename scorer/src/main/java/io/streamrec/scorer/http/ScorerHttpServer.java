package io.streamrec.scorer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.streamrec.scorer.ApiException;
import io.streamrec.scorer.RecommendationService;
import io.streamrec.scorer.ServedModels;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The scorer's HTTP API on Javalin (embedded Jetty), the Prometheus endpoint and the dashboard. Every error is JSON
 * {@code {"status":..,"error":..,"message":..}} with its status code; stack traces stay in the log.
 */
public final class ScorerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerHttpServer.class);
    static final String LATENCY = "streamrec_scorer_http_request_seconds";
    public static final String REQUESTS = "streamrec_scorer_http_requests_total";
    /** A restart restores in seconds (static membership, checkpointed stores): ask clients to come back soon. */
    static final String RETRY_AFTER_SECONDS = "1";

    /**
     * Readiness as the scorer sees it: ready only when the stores are restored. Status UP, or DEGRADED when ready but
     * the trainer has gone silent while ratings arrive (still 200: the last model is served), else RESTORING, FAILED
     * or DOWN (503).
     *
     * @param factorsLag factor records published but not yet applied (null when unknown): 0 means caught up
     * @param trainer    the trainer's liveness (null when not known, e.g. in tests)
     */
    public record Health(boolean ready, String status, String streamsState, int items, int dim, long modelVersion,
                         long lastFactorAppliedMs, Double factorsLag, io.streamrec.scorer.TrainerHealth trainer,
                         java.util.List<io.streamrec.scorer.UserRouting.Instance> instances) {

        public Health(boolean ready, String status, String streamsState, int items, int dim, long modelVersion,
                      long lastFactorAppliedMs, Double factorsLag, io.streamrec.scorer.TrainerHealth trainer) {
            this(ready, status, streamsState, items, dim, modelVersion, lastFactorAppliedMs, factorsLag, trainer, java.util.List.of());
        }

        public Health(boolean ready, String status, String streamsState, int items, int dim, long modelVersion,
                      long lastFactorAppliedMs, Double factorsLag) {
            this(ready, status, streamsState, items, dim, modelVersion, lastFactorAppliedMs, factorsLag, null);
        }

        /** The same health listing the application's instances and the user partitions each owns. */
        public Health withInstances(java.util.List<io.streamrec.scorer.UserRouting.Instance> all) {
            return new Health(ready, status, streamsState, items, dim, modelVersion, lastFactorAppliedMs, factorsLag, trainer,
                    java.util.List.copyOf(all));
        }
    }

    private final Javalin app;
    private final DashboardEvents events;

    public ScorerHttpServer(RecommendationService service, ScorerMetrics metrics, Supplier<Health> health,
                            DashboardEvents events) {
        this(service, metrics, health, events, new ClusterRequests(null, 1, metrics));
    }

    /** With {@code cluster} answering per-user and per-item requests across the application's instances. */
    public ScorerHttpServer(RecommendationService service, ScorerMetrics metrics, Supplier<Health> health,
                            DashboardEvents events, ClusterRequests cluster) {
        this(ServedModels.only(service), metrics, health, events, cluster);
    }

    /** Serving every family of {@code models}: {@code ?model=} picks one on the list endpoints. */
    public ScorerHttpServer(ServedModels models, ScorerMetrics metrics, Supplier<Health> health,
                            DashboardEvents events, ClusterRequests cluster) {
        RecommendationService service = models.first();
        this.events = events;
        ObjectMapper mapper = JsonMapper.builder()
                .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build();
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            // A wrong method on a known path is 405 with Allow, not "no such endpoint".
            config.http.prefer405over404 = true;
            // Jetty answers oversized or undecodable requests itself, before any route: JSON there too.
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/dashboard";
                sf.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.router.mount(r -> {
                r.before(ctx -> {
                    ctx.attribute("t0", System.nanoTime());
                    if (cluster.self() != null) {
                        ctx.header(ClusterRequests.INSTANCE, cluster.self());
                    }
                    requireDecodableQuery(ctx);
                });
                r.after(ctx -> {
                    Long t0 = ctx.attribute("t0");
                    String route = ctx.endpointHandlerPath();
                    if (t0 == null || route == null || route.equals("/events")) {
                        return;
                    }
                    String label = "route=\"" + route + "\"";
                    metrics.observe(LATENCY, label, (System.nanoTime() - t0) / 1e9);
                    metrics.inc(REQUESTS, label + ",status=\"" + ctx.statusCode() + "\"");
                });

                r.get("/users/{id}/recommendations", ctx -> {
                    long user = id(ctx, "user");
                    int k = k(ctx, 10);
                    java.util.OptionalInt p = cluster.localPartition(ctx, user);
                    if (p.isPresent()) {
                        ctx.json(models.service(single(ctx, "model")).recommendations(user, k, p.getAsInt()));
                    }
                });
                r.get("/users/{id}/ratings", ctx -> {
                    long user = id(ctx, "user");
                    int limit = intParam(ctx, "limit", 50, 1, 10_000);
                    java.util.OptionalInt p = cluster.localPartition(ctx, user);
                    if (p.isPresent()) {
                        ctx.json(service.ratings(user, limit, p.getAsInt()));
                    }
                });
                r.get("/items/top-biased", ctx -> ctx.json(models.service(single(ctx, "model")).topBiased(k(ctx, 20), order(ctx))));
                r.get("/items/{id}/similar", ctx -> ctx.json(models.service(single(ctx, "model")).similar(id(ctx, "item"), k(ctx, 10))));
                r.get("/items/{id}/also-liked", ctx -> {
                    long item = id(ctx, "item");
                    int k = k(ctx, 10);
                    // The fans are users, the same for every family: only the ranking is the family's.
                    RecommendationService ranking = models.service(single(ctx, "model"));
                    ctx.json(ranking.alsoLiked(item, k, cluster.allFans(item, parts -> service.localFans(item, parts))));
                });
                // One instance's share of an item's fans, for the instance gathering them (see ClusterRequests).
                r.get("/internal/items/{id}/fans", ctx -> {
                    long item = id(ctx, "item");
                    ctx.json(cluster.localShare(item, parts -> service.localFans(item, parts)));
                });
                r.get("/metrics/rmse", ctx -> ctx.json(service.rmse(since(ctx), intParam(ctx, "limit", 5000, 1, 100_000))));
                r.get("/models", ctx -> ctx.json(java.util.Map.of("models", models.families(), "default",
                        models.families().get(0))));
                r.get("/health", ctx -> {
                    Health h = health.get();
                    if (!h.ready()) {
                        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                    }
                    ctx.status(h.ready() ? 200 : 503).json(h);
                });
                r.get("/prometheus", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.prometheusText()));
                r.get("/stats", ctx -> ctx.json(events.stats()));
                r.sse("/events", events::join);

                r.exception(ApiException.class, (e, ctx) -> {
                    if (e.status() == 503) {
                        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                    }
                    error(ctx, e.status(), e.getMessage());
                });
                r.exception(io.javalin.http.MethodNotAllowedResponse.class, (e, ctx) -> {
                    // Javalin lists the path's methods in the details (under a key that depends on Accept).
                    String allow = String.join(", ", e.getDetails().values());
                    ctx.header("Allow", allow);
                    // the request's own method: Javalin names every method it does not know INVALID
                    error(ctx, 405, ctx.req().getMethod() + " is not allowed on " + ctx.path() + "; allowed: " + allow);
                });
                r.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                        e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path() : e.getMessage()));
                // Stores still restoring could answer with part of a user's history (e.g. recommend an item they
                // rated): never a wrong answer, a 503 the client can retry instead.
                r.exception(InvalidStateStoreException.class, (e, ctx) -> {
                    ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                    error(ctx, 503, "state stores are restoring or rebalancing; retry in " + RETRY_AFTER_SECONDS + " s");
                });
                r.exception(Exception.class, (e, ctx) -> {
                    LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); see the scorer log");
                });
            });
        });
    }

    /** Binds and starts; port 0 picks a free port. */
    public ScorerHttpServer start(String host, int port) {
        app.start(host, port);
        events.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        events.close();
        app.stop();
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(JsonErrorHandler.body(status, message));
    }

    /** The longest id, Long.MAX_VALUE, has 19 digits. */
    private static final int MAX_ID_DIGITS = 19;

    /**
     * A path id: plain ASCII decimal digits only, within long range. {@link Long#parseLong} alone is too lenient for
     * an API: it takes a leading '+' and any Unicode digit (full-width '１' parses as 1), so several spellings would
     * name one user; ids are non-negative, so a '-' is refused too, and so are leading zeros ("007").
     */
    static long id(Context ctx, String what) {
        String raw = ctx.pathParam("id");
        if (raw.isEmpty() || raw.length() > MAX_ID_DIGITS || !raw.chars().allMatch(c -> c >= '0' && c <= '9')
                || (raw.length() > 1 && raw.charAt(0) == '0')) {
            throw ApiException.badRequest(what + " id must be a non-negative 64-bit integer in plain ASCII digits, got '"
                    + raw + "'");
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(what + " id must be at most " + Long.MAX_VALUE + ", got '" + raw + "'");
        }
    }

    /**
     * A query string with a broken percent-escape ({@code %ZZ}) is an error: Javalin drops such parameters silently, so
     * {@code ?k=%ZZ} would be served as if no k were given.
     */
    static void requireDecodableQuery(Context ctx) {
        String q = ctx.queryString();
        if (q == null) {
            return;
        }
        for (int i = 0; i < q.length(); i++) {
            if (q.charAt(i) == '%' && (i + 2 >= q.length() || !HexFormat.isHexDigit(q.charAt(i + 1))
                    || !HexFormat.isHexDigit(q.charAt(i + 2)))) {
                throw ApiException.badRequest("query string has a malformed percent-escape at character " + i
                        + ": encode '%' as %25");
            }
        }
    }

    /** One value per parameter: with two, which one counts would be a guess. */
    static String single(Context ctx, String name) {
        java.util.List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(name + " given " + values.size() + " times; give it once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    static int k(Context ctx, int defaultK) {
        return intParam(ctx, "k", defaultK, 1, ScorerOptions.MAX_K);
    }

    static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String raw = single(ctx, name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        int v;
        try {
            v = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer in [" + min + ", " + max + "], got '" + raw + "'");
        }
        if (v < min || v > max) {
            throw ApiException.badRequest(name + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    static boolean order(Context ctx) {
        String raw = single(ctx, "order");
        if (raw == null || raw.isBlank() || raw.equalsIgnoreCase("desc")) {
            return true;
        }
        if (raw.equalsIgnoreCase("asc")) {
            return false;
        }
        throw ApiException.badRequest("order must be 'desc' or 'asc', got '" + raw + "'");
    }

    /** {@code since}: event time as epoch milliseconds or an ISO-8601 instant; default: everything. */
    static long since(Context ctx) {
        String raw = single(ctx, "since");
        if (raw == null || raw.isBlank()) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(raw.trim()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("since must be epoch milliseconds or an ISO-8601 instant such as "
                        + "2000-01-01T00:00:00Z, got '" + raw + "'");
            }
        }
    }
}
