package io.streamrec.scorer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.streamrec.scorer.ApiException;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.UserRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Makes any scorer instance answer any request as the whole application would: a per-user request is answered from
 * the user's own partition, here or by forwarding it once to the instance that owns it (the owner's answer goes back
 * as it came, its {@link #INSTANCE} header naming who served it); an item's fans, which live with the users who
 * rated, are gathered from every instance, and the request fails with 503 rather than being answered from a part of
 * them. While an assignment moves, the answer is 503 with {@code Retry-After}, never a list made without the
 * user's history. Without routing (one instance, or a test driver) everything is local.
 */
public final class ClusterRequests {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRequests.class);
    /** Marks a forwarded request, so it is never forwarded again (no loops while owners change). */
    public static final String FORWARDED = "X-Streamrec-Forwarded";
    /** The instance whose state answered the request ({@code host:port}). */
    public static final String INSTANCE = "X-Streamrec-Instance";
    public static final String FORWARDS = "streamrec_scorer_forwarded_requests_total";
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UserRouting routing;
    private final int userPartitions;
    private final ScorerMetrics metrics;
    private final HttpClient http;

    /** @param routing null: a single instance, nothing is forwarded */
    public ClusterRequests(UserRouting routing, int userPartitions, ScorerMetrics metrics) {
        this.routing = routing;
        this.userPartitions = userPartitions;
        this.metrics = metrics;
        // HTTP/1.1 outright: the default (HTTP/2) asks every new cleartext connection to upgrade, which Jetty here refuses.
        this.http = routing == null ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** One instance's fans of an item: the partitions they were read from and the user ids. */
    public record FanShare(long item, List<Integer> partitions, long[] fans) {
    }

    /** This instance's address, or null without routing. */
    public String self() {
        return routing == null ? null : routing.self();
    }

    /**
     * The user's partition when this instance owns it (-1 without routing); empty when the request was forwarded
     * and {@code ctx} already holds the owner's answer.
     *
     * @throws ApiException 503 while nobody owns the user, or the owner does not answer
     */
    public OptionalInt localPartition(Context ctx, long user) {
        if (routing == null) {
            return OptionalInt.of(-1);
        }
        UserRouting.Route r = routing.route(user);
        switch (r.where()) {
            case LOCAL -> {
                return OptionalInt.of(r.partition());
            }
            case UNAVAILABLE -> throw new ApiException(503, "user " + user + "'s partition is moving between scorer "
                    + "instances (rebalancing); retry shortly");
            default -> {
                if (ctx.header(FORWARDED) != null) {
                    // Forwarded here by an instance that saw an older assignment: do not bounce it on.
                    throw new ApiException(503, "user " + user + " is owned by " + r.owner() + " now; the assignment is "
                            + "moving, retry shortly");
                }
                forward(ctx, r.owner());
                return OptionalInt.empty();
            }
        }
    }

    /**
     * The fans of {@code item} from every instance, each over the user partitions it owns; 503 unless together they
     * cover every partition. {@code local} reads this instance's share for the given partitions.
     */
    public long[] allFans(long item, Function<List<Integer>, long[]> local) {
        if (routing == null) {
            return local.apply(List.of(-1));
        }
        List<UserRouting.Instance> instances = routing.instances();
        TreeSet<Integer> covered = new TreeSet<>();
        TreeSet<Long> fans = new TreeSet<>();
        for (UserRouting.Instance i : instances) {
            FanShare share = i.self() ? new FanShare(item, i.userPartitions(), local.apply(i.userPartitions()))
                    : remoteFans(i.address(), item);
            covered.addAll(share.partitions());
            for (long f : share.fans()) {
                fans.add(f);
            }
        }
        if (covered.size() < userPartitions) {
            throw new ApiException(503, "item " + item + "'s fans are spread over " + userPartitions + " user partitions, "
                    + "but only " + covered + " are owned right now (rebalancing); retry shortly");
        }
        return fans.stream().mapToLong(Long::longValue).toArray();
    }

    /** This instance's share of an item's fans, over the partitions it owns now. */
    public FanShare localShare(long item, Function<List<Integer>, long[]> local) {
        List<Integer> mine = routing == null ? List.of(-1) : routing.instances().stream().filter(UserRouting.Instance::self)
                .findFirst().map(UserRouting.Instance::userPartitions).orElse(List.of());
        return new FanShare(item, mine, local.apply(mine));
    }

    private FanShare remoteFans(String address, long item) {
        HttpResponse<byte[]> resp = get(address, "/internal/items/" + item + "/fans");
        if (resp.statusCode() != 200) {
            throw new ApiException(503, "instance " + address + " could not list item " + item + "'s fans (HTTP "
                    + resp.statusCode() + "); retry shortly");
        }
        try {
            JsonNode n = JSON.readTree(resp.body());
            List<Integer> partitions = new ArrayList<>();
            n.path("partitions").forEach(p -> partitions.add(p.asInt()));
            JsonNode f = n.path("fans");
            long[] fans = new long[f.size()];
            for (int k = 0; k < fans.length; k++) {
                fans[k] = f.get(k).asLong();
            }
            return new FanShare(item, partitions, fans);
        } catch (IOException e) {
            throw new ApiException(503, "instance " + address + " sent fans that do not parse: " + e.getMessage());
        }
    }

    private void forward(Context ctx, String owner) {
        String query = ctx.queryString();
        HttpResponse<byte[]> resp = get(owner, ctx.path() + (query == null ? "" : "?" + query));
        metrics.inc(FORWARDS, "");
        ctx.status(resp.statusCode());
        resp.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        resp.headers().firstValue("Retry-After").ifPresent(v -> ctx.header("Retry-After", v));
        ctx.header(INSTANCE, resp.headers().firstValue(INSTANCE).orElse(owner));
        ctx.result(resp.body());
    }

    private HttpResponse<byte[]> get(String address, String pathAndQuery) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + address + pathAndQuery)).timeout(TIMEOUT)
                .header(FORWARDED, routing.self()).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            LOG.debug("instance {} did not answer {}", address, pathAndQuery, e);
            throw new ApiException(503, "scorer instance " + address + " did not answer (" + e.getClass().getSimpleName()
                    + "); it may be restarting: retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking scorer instance " + address);
        }
    }
}
