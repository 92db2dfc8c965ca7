package io.streamrec.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's view of the scorer, over its public HTTP API only: is it serving, has it applied every factor record, and
 * a user's top-K. Any failure (not up yet, a non-200 answer, unreadable JSON) reads as "no answer".
 */
public final class ScorerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recommended item as the scorer lists it. */
    public record Item(long item, double score, String title) {
    }

    /** A user's top-K: the model version it was computed with, best first, and the scorer's JSON as it came. */
    public record Recommendations(long modelVersion, List<Item> items, JsonNode json) {
    }

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param baseUrl e.g. {@code http://127.0.0.1:8080} */
    public ScorerClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** {@code /health} answers 200: the scorer's stores are restored and it serves. */
    public boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The scorer reports how many published factor records it has not applied yet; 0 means caught up. */
    public boolean caughtUp() {
        JsonNode h = get("/health");
        return h != null && h.path("factorsLag").isNumber() && h.path("factorsLag").asDouble() == 0;
    }

    public Optional<Recommendations> recommendations(long user, int k) {
        JsonNode n = get("/users/" + user + "/recommendations?k=" + k);
        if (n == null) {
            return Optional.empty();
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode it : n.path("items")) {
            items.add(new Item(it.path("item").asLong(), it.path("score").asDouble(),
                    it.hasNonNull("title") ? it.get("title").asText() : null));
        }
        return Optional.of(new Recommendations(n.path("modelVersion").asLong(-1), List.copyOf(items), n));
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? JSON.readTree(resp.body()) : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
