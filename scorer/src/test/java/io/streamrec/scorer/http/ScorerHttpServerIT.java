package io.streamrec.scorer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.RecommendationService;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
import io.streamrec.scorer.ScorerTopology;
import io.streamrec.scorer.StoreProvider;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real HTTP server (Javalin on 127.0.0.1, a free port) queried by a real HTTP client, over stores filled through
 * the real topology by a test driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScorerHttpServerIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Topics TOPICS = Topics.defaults();

    TopologyTestDriver driver;
    ScorerHttpServer server;
    ScorerMetrics metrics = new ScorerMetrics();
    ItemIndex index = new ItemIndex();
    MetricsHistory history = new MetricsHistory(100);
    AtomicBoolean ready = new AtomicBoolean(true);
    HttpClient client = HttpClient.newHttpClient();
    String base;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        ScorerOptions options = ScorerOptions.defaults("http-test", dataDir).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index, new ChangedUsers(1), history, metrics),
                ScorerTopology.config(config, options, metrics));
        var f = TOPICS.factors();
        TestInputTopic<FactorKey, FactorRow> factors = driver.createInputTopic(f.name(), f.keySerde().serializer(), f.valueSerde().serializer());
        var r = TOPICS.ratings();
        TestInputTopic<Long, Rating> ratings = driver.createInputTopic(r.name(), r.keySerde().serializer(), r.valueSerde().serializer());
        var i = TOPICS.items();
        TestInputTopic<Long, ItemMetadata> items = driver.createInputTopic(i.name(), i.keySerde().serializer(), i.valueSerde().serializer());
        var u = TOPICS.users();
        TestInputTopic<Long, UserMetadata> users = driver.createInputTopic(u.name(), u.keySerde().serializer(), u.valueSerde().serializer());
        var m = TOPICS.metrics();
        TestInputTopic<String, PrequentialMetrics> metricsIn = driver.createInputTopic(m.name(),
                new org.apache.kafka.common.serialization.StringSerializer(), m.valueSerde().serializer());

        // Items 1..5: vector (i, 0), bias 0.1·i except item 5 whose bias is -1 (the "worst movie").
        factors.pipeInput(FactorKey.GLOBAL, new FactorRow(4, 3.5f, new float[0], 0));
        for (long id = 1; id <= 5; id++) {
            float bias = id == 5 ? -1f : 0.1f * id;
            factors.pipeInput(FactorKey.item(id), new FactorRow(3, bias, new float[]{id, id == 2 ? 1 : 0}, 0));
            items.pipeInput(id, new ItemMetadata(id, "Movie " + id, List.of("Genre" + id), 1990 + (int) id));
        }
        // user 7: taste (1, 0), rated items 4 and 1 → recommendations 5, 3, 2 (b_i + i; item 5: -1 + 5 = 4)
        factors.pipeInput(FactorKey.user(7), new FactorRow(5, 0.25f, new float[]{1, 0}, 0));
        ratings.pipeInput(7L, new Rating(7, 4, 5f, 1000));
        ratings.pipeInput(7L, new Rating(7, 1, 2f, 2000));
        // users 8 and 9 liked item 1; user 8 has taste (0, 1), user 9 (0, 3): their mean taste (0, 2) favours item 2
        factors.pipeInput(FactorKey.user(8), new FactorRow(5, 0f, new float[]{0, 1}, 0));
        factors.pipeInput(FactorKey.user(9), new FactorRow(5, 1f, new float[]{0, 3}, 0));
        ratings.pipeInput(8L, new Rating(8, 1, 4.5f, 10));
        ratings.pipeInput(9L, new Rating(9, 1, 5f, 10));
        // user 10 rated but has no factors yet: a cold user
        ratings.pipeInput(10L, new Rating(10, 5, 3f, 10));
        users.pipeInput(11L, new UserMetadata(11, "F", 25, "artist", null));
        for (int n = 1; n <= 3; n++) {
            metricsIn.pipeInput("trainer-0", new PrequentialMetrics("trainer-0", 1000L * n, 0, 100L * n, 100,
                    1.2 / n, 1.0 / n, 1.1, 0.9, 0.1, 500, n == 2 ? DriftState.DRIFT : DriftState.STABLE, n >= 2 ? 1 : 0));
        }

        StoreProvider stores = new StoreProvider() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return driver.getKeyValueStore(name);
            }
        };
        RecommendationService service = new RecommendationService(index, stores, history, options);
        DashboardEvents events = new DashboardEvents(() -> Map.of("items", index.stats().items(), "ratingsSeen",
                metrics.total("streamrec_scorer_ratings_seen_total")), history, Set.of("ratingsSeen"));
        server = new ScorerHttpServer(service, metrics,
                () -> new ScorerHttpServer.Health(ready.get(), ready.get() ? "UP" : "RESTORING", "RUNNING", index.stats().items(),
                        index.stats().dim(), index.stats().modelVersion(), 0, 0.0), events).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop() {
        server.close();
        driver.close();
    }

    record Reply(int status, String contentType, String body, JsonNode json) {
    }

    Reply get(String path) throws Exception {
        HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        String ct = resp.headers().firstValue("content-type").orElse("");
        JsonNode json = ct.startsWith("application/json") ? JSON.readTree(resp.body()) : null;
        return new Reply(resp.statusCode(), ct, resp.body(), json);
    }

    static List<Long> itemIds(JsonNode items) {
        List<Long> ids = new ArrayList<>();
        items.forEach(n -> ids.add(n.get("item").asLong()));
        return ids;
    }

    @Test
    void recommendationsArePersonalUnseenAndCarryTitles() throws Exception {
        Reply r = get("/users/7/recommendations?k=3");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("coldStart").asBoolean()).isFalse();
        assertThat(itemIds(r.json().get("items"))).containsExactly(5L, 3L, 2L);
        JsonNode first = r.json().get("items").get(0);
        assertThat(first.get("title").asText()).isEqualTo("Movie 5");
        assertThat(first.get("genres").get(0).asText()).isEqualTo("Genre5");
        assertThat(first.get("score").asDouble()).isCloseTo(3.5 + 0.25 - 1 + 5, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(r.json().get("modelVersion").asLong()).isEqualTo(5);
        assertThat(r.json().get("ratedCount").asInt()).isEqualTo(2);
        assertThat(get("/users/7/recommendations").json().get("items")).hasSize(3); // k defaults to 10; only 3 unseen
    }

    @Test
    void coldAndUnknownUsers() throws Exception {
        Reply cold = get("/users/10/recommendations?k=2");
        assertThat(cold.status()).isEqualTo(200);
        assertThat(cold.json().get("coldStart").asBoolean()).isTrue();
        assertThat(cold.json().get("basis").asText()).isEqualTo("item-bias");
        assertThat(cold.json().get("note").asText()).contains("no factors");
        assertThat(itemIds(cold.json().get("items"))).containsExactly(4L, 3L); // by bias; 5 was rated (and is worst)

        Reply profileOnly = get("/users/11/recommendations?k=1");
        assertThat(profileOnly.status()).isEqualTo(200);
        assertThat(profileOnly.json().get("profile").get("occupation").asText()).isEqualTo("artist");

        Reply unknown = get("/users/424242/recommendations");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/json");
        assertThat(unknown.json().get("status").asInt()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("unknown user 424242");
    }

    @Test
    void badParametersAre400WithJsonAndNoStackTrace() throws Exception {
        for (String path : List.of("/users/7/recommendations?k=0", "/users/7/recommendations?k=1001",
                "/users/7/recommendations?k=ten", "/users/abc/recommendations", "/users/-3/recommendations",
                "/users/99999999999999999999/recommendations", "/items/x/similar", "/items/1/similar?k=-1",
                "/items/1/also-liked?k=5000", "/items/top-biased?order=sideways", "/metrics/rmse?since=yesterday",
                "/users/7/ratings?limit=0")) {
            Reply r = get(path);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.json()).as(path + " " + r.contentType() + " " + r.body()).isNotNull();
            assertThat(r.json().get("message").asText()).as(path).isNotBlank();
            assertThat(r.body()).as(path).doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(get("/users/7/recommendations?k=1000").status()).isEqualTo(200);
        Reply missing = get("/no/such/thing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).contains("no such endpoint");
    }

    /** One user has one spelling: Unicode digits, a sign, or anything past long range are 400, not user 1. */
    @Test
    void pathIdsArePlainAsciiDecimal() throws Exception {
        for (String id : List.of("%EF%BC%91", "%EF%BC%97", "+7", "%2B7", "-7", "-0", "7.0", "0x7", "7%20", "%207", "%D9%A7",
                "9223372036854775808", "007", "00000000000000000007")) {
            for (String path : List.of("/users/" + id + "/recommendations", "/users/" + id + "/ratings", "/items/" + id + "/similar",
                    "/items/" + id + "/also-liked")) {
                Reply r = get(path);
                assertJsonError(r, 400, path);
                assertThat(r.json().get("message").asText()).as(path).contains("id");
            }
        }
        assertThat(get("/users/7/recommendations").status()).isEqualTo(200);
        assertThat(get("/users/0/recommendations").status()).isEqualTo(404); // well-formed, just unknown
        assertThat(get("/users/9223372036854775807/recommendations").status()).isEqualTo(404);
    }

    /** A request written byte for byte on a socket: java.net.URI refuses to send a path such as {@code %ZZ}. */
    Reply raw(String method, String target, String extraHeaders) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headerEnd);
            String body = response.substring(headerEnd + 4);
            int status = Integer.parseInt(head.split(" ")[1]);
            String ct = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            return new Reply(status, ct, body, ct.startsWith("application/json") ? JSON.readTree(body) : null);
        }
    }

    static void assertJsonError(Reply r, int status, String what) {
        assertThat(r.status()).as(what).isEqualTo(status);
        assertThat(r.contentType()).as(what + ": " + r.body()).startsWith("application/json");
        assertThat(r.json().get("status").asInt()).as(what).isEqualTo(status);
        assertThat(r.json().get("message").asText()).as(what).isNotBlank();
        assertThat(r.body()).as(what).doesNotContain("<html").doesNotContain("\tat ");
    }

    /** Errors Jetty answers before any route sees the request are JSON too, and so are wrong methods (405 + Allow). */
    @Test
    void jettyLevelErrorsAndWrongMethodsAreJson() throws Exception {
        assertJsonError(get("/users/7/recommendations?pad=" + "x".repeat(100_000)), 414, "100 KB query string");
        HttpResponse<String> bigHeader = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .header("X-Padding", "y".repeat(20_000)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        String ct = bigHeader.headers().firstValue("content-type").orElse("");
        assertJsonError(new Reply(bigHeader.statusCode(), ct, bigHeader.body(),
                ct.startsWith("application/json") ? JSON.readTree(bigHeader.body()) : null), 431, "20 KB header");
        assertJsonError(raw("GET", "/users/%ZZ/recommendations", ""), 400, "undecodable %ZZ in the path");
        assertJsonError(raw("GET", "/items/%ZZ", ""), 400, "undecodable %ZZ, unknown path");

        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/users/7/recommendations", "/health", "/metrics/rmse", "/items/1/similar")) {
                HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(base + path))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String type = resp.headers().firstValue("content-type").orElse("");
                assertJsonError(new Reply(resp.statusCode(), type, resp.body(),
                        type.startsWith("application/json") ? JSON.readTree(resp.body()) : null), 405, method + " " + path);
                assertThat(resp.headers().firstValue("allow")).as(method + " " + path).hasValue("GET");
            }
        }
        // a browser asking for HTML still gets JSON from the API
        HttpResponse<String> html = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(html.statusCode()).isEqualTo(405);
        assertThat(html.headers().firstValue("allow")).hasValue("GET");
        assertThat(JSON.readTree(html.body()).get("status").asInt()).isEqualTo(405);
        // an unknown path is still 404 whatever the method
        assertJsonError(raw("POST", "/no/such/thing", ""), 404, "POST to an unknown path");
        Reply unknownMethod = raw("FOO", "/health", "");
        assertJsonError(unknownMethod, 405, "a method HTTP does not define");
        assertThat(unknownMethod.json().get("message").asText()).startsWith("FOO is not allowed");
        assertJsonError(raw("GET", "/%2e%2e/etc/passwd", ""), 400, "an ambiguous path");
        // a query string that does not decode is refused, not read as "no parameter" (which would serve k=10)
        Reply badQuery = raw("GET", "/users/7/recommendations?k=%ZZ", "");
        assertJsonError(badQuery, 400, "undecodable query string");
        assertThat(badQuery.json().get("message").asText()).contains("query");
        Reply twice = get("/items/1/similar?k=1&k=2");
        assertJsonError(twice, 400, "a parameter given twice");
        assertThat(twice.json().get("message").asText()).contains("k");
    }

    @Test
    void similarAlsoLikedAndBias() throws Exception {
        Reply sim = get("/items/1/similar?k=2");
        assertThat(sim.status()).isEqualTo(200);
        // item 1 = (1,0): cosine 1 with 3, 4, 5 (all on the axis), below 1 with 2 = (2,1); ties by id order
        assertThat(itemIds(sim.json().get("items"))).containsExactly(3L, 4L);
        assertThat(sim.json().get("title").asText()).isEqualTo("Movie 1");
        assertThat(get("/items/77/similar").status()).isEqualTo(404);

        Reply also = get("/items/1/also-liked?k=2");
        assertThat(also.status()).isEqualTo(200);
        assertThat(also.json().get("basis").asText()).isEqualTo("fans");
        assertThat(also.json().get("fans").asInt()).isEqualTo(2);
        // fans' mean taste (0, 2): item 2 scores 0.2 + 2 = 2.2; the others only their bias, 4 best of them; 1 excluded
        assertThat(itemIds(also.json().get("items"))).containsExactly(2L, 4L);
        assertThat(also.json().get("items").get(0).get("score").asDouble())
                .isCloseTo(3.5 + 0.5 + 0.2 + 2, org.assertj.core.data.Offset.offset(1e-5));
        Reply noFans = get("/items/3/also-liked?k=2");
        assertThat(noFans.json().get("basis").asText()).startsWith("cosine");
        assertThat(get("/items/77/also-liked").status()).isEqualTo(404);

        assertThat(itemIds(get("/items/top-biased?k=2").json().get("items"))).containsExactly(4L, 3L);
        Reply worst = get("/items/top-biased?k=1&order=asc");
        assertThat(itemIds(worst.json().get("items"))).containsExactly(5L);
        assertThat(worst.json().get("items").get(0).get("score").asDouble()).isEqualTo(-1.0);
    }

    @Test
    void ratingsRmseHealthAndPrometheus() throws Exception {
        Reply rated = get("/users/7/ratings");
        assertThat(itemIds(rated.json().get("items"))).containsExactly(1L, 4L); // newest first
        assertThat(rated.json().get("items").get(1).get("title").asText()).isEqualTo("Movie 4");

        Reply rmse = get("/metrics/rmse?since=2000");
        assertThat(rmse.json().get("count").asInt()).isEqualTo(2);
        assertThat(rmse.json().get("points").get(0).get("drift").asText()).isEqualTo("DRIFT");
        assertThat(get("/metrics/rmse?since=1970-01-01T00:00:03Z").json().get("count").asInt()).isEqualTo(1);
        assertThat(get("/metrics/rmse").json().get("count").asInt()).isEqualTo(3);

        assertThat(get("/health").status()).isEqualTo(200);
        ready.set(false);
        try {
            Reply h = get("/health");
            assertThat(h.status()).isEqualTo(503);
            assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.discarding())
                    .headers().firstValue("retry-after")).as("Retry-After while not ready").hasValue("1");
            assertThat(h.json().get("status").asText()).isEqualTo("RESTORING");
        } finally {
            ready.set(true);
        }

        get("/users/7/recommendations");
        Reply prom = get("/prometheus");
        assertThat(prom.contentType()).startsWith("text/plain");
        assertThat(prom.body())
                .contains("# TYPE streamrec_scorer_http_requests_total counter")
                .contains("streamrec_scorer_http_requests_total{route=\"/users/{id}/recommendations\",status=\"200\"}")
                .contains("streamrec_scorer_http_request_seconds_bucket{route=\"/users/{id}/recommendations\",le=\"+Inf\"}")
                .contains("streamrec_scorer_ratings_seen_total 5");
    }

    @Test
    void serverSentEventsDeliverStats() throws Exception {
        HttpResponse<java.io.InputStream> resp = client.send(HttpRequest.newBuilder(URI.create(base + "/events")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.headers().firstValue("content-type").orElse(""))
                .as("status %d: %s", resp.statusCode(), resp.statusCode() == 200 ? "" : new String(resp.body().readAllBytes()))
                .startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && "stats".equals(event)) {
                    data = line.substring(5).trim();
                    if (!data.equals("{}")) {
                        break; // the first sample may come before the first tick
                    }
                }
            }
            assertThat(event).isEqualTo("stats");
            assertThat(JSON.readTree(data).get("items").asInt()).isEqualTo(5);
        }
    }

    /** The dashboard in real headless Chromium: lists filled with titles, the RMSE curve and its drift mark drawn. */
    @Test
    void dashboardRendersInHeadlessChromium() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        try (HeadlessChromium browser = HeadlessChromium.open(base + "/?user=7&item=1", 1600, 1200)) {
            // user box shows the top-K
            browser.waitFor("document.querySelectorAll('#userRecs li').length === 3", Duration.ofSeconds(30));
            assertThat(browser.text("[...document.querySelectorAll('#userRecs li .title')].map(e => e.textContent).join('|')"))
                    .isEqualTo("Movie 5|Movie 3|Movie 2");
            assertThat(browser.number("document.querySelectorAll('#userRated li').length")).isEqualTo(2);
            browser.waitFor("document.querySelectorAll('#itemSimilar li').length === 4"
                    + " && document.querySelectorAll('#itemAlso li').length === 4", Duration.ofSeconds(15));
            browser.waitFor("document.querySelectorAll('#biasBottom li').length === 5", Duration.ofSeconds(15));
            assertThat(browser.text("document.querySelector('#biasBottom li .title').textContent")).isEqualTo("Movie 5");
            // three reports: a window-RMSE line of three points and one drift mark (driftEvents went 0 → 1)
            browser.waitFor("Chart.getChart('rmseChart').data.datasets.some(d => d.label.endsWith('window RMSE')"
                    + " && d.data.length === 3)", Duration.ofSeconds(15));
            assertThat(browser.number("Chart.getChart('rmseChart').data.datasets[0].data.length")).isEqualTo(1);
            // the stats sample (item count from the server) reached the tiles
            browser.waitFor("document.getElementById('t-items').textContent.startsWith('5 ')", Duration.ofSeconds(15));
            browser.screenshot(Path.of("target", "dashboard-test.png"));
        }
        assertThat(Path.of("target", "dashboard-test.png")).isNotEmptyFile();
    }
}
