package io.streamrec.scorer.http;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.scorer.RecommendationService;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
import io.streamrec.scorer.StoreProvider;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.StoreNames;
import io.streamrec.scorer.stream.UserItemKeys;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Benchmark fixture (not a test): the real HTTP server and query code over in-memory stores, filled with a synthetic
 * catalogue of MovieLens-25M size (62,000 items × 32 dims, titles) and users with 20 ratings each, for wrk. Prints
 * {@code READY <port>} and serves for the given seconds.
 * Usage: {@code HttpBenchServer <port> <seconds> [items] [dim] [users]}.
 */
public final class HttpBenchServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int items = args.length > 2 ? Integer.parseInt(args[2]) : 62_000;
        int dim = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int users = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        Path dir = Files.createTempDirectory("scorer-bench");
        ItemIndex index = new ItemIndex();
        index.warmUp(); // as the scorer does at start
        ScorerMetrics metrics = new ScorerMetrics();
        MetricsHistory history = new MetricsHistory(10);
        ScorerOptions options = ScorerOptions.defaults("bench", dir);
        Map<String, MapStore<?, ?>> byName = new HashMap<>();
        MapStore<FactorKey, FactorRow> factors = new MapStore<>(java.util.Comparator.comparing(FactorKey::kind)
                .thenComparingLong(FactorKey::id));
        MapStore<Long, ItemMetadata> meta = new MapStore<>();
        MapStore<Bytes, byte[]> rated = new MapStore<>();
        byName.put(StoreNames.FACTORS, factors);
        byName.put(StoreNames.ITEM_METADATA, meta);
        byName.put(StoreNames.USER_METADATA, new MapStore<Long, Object>());
        byName.put(StoreNames.RATED, rated);
        byName.put(StoreNames.FANS, new MapStore<Bytes, byte[]>());
        byName.put(StoreNames.PUSHED, new MapStore<Long, Object>());
        Random rnd = new Random(11);
        index.setGlobalMean(3.5f, 1);
        for (long i = 0; i < items; i++) {
            FactorRow row = new FactorRow(1, (float) rnd.nextGaussian() * 0.3f, vec(rnd, dim), 0);
            index.upsert(i, row);
            factors.map.put(FactorKey.item(i), row);
            meta.map.put(i, new ItemMetadata(i, "Movie " + i + " (1999)", List.of("Drama", "Comedy"), 1999));
        }
        for (long u = 0; u < users; u++) {
            factors.map.put(FactorKey.user(u), new FactorRow(1, 0.1f, vec(rnd, dim), 0));
            for (int j = 0; j < 20; j++) {
                rated.map.put(UserItemKeys.pair(u, rnd.nextInt(items)), UserItemKeys.ratingValue(4f, j));
            }
        }
        StoreProvider stores = new StoreProvider() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return (ReadOnlyKeyValueStore<K, V>) byName.get(name);
            }
        };
        DashboardEvents events = new DashboardEvents(Map::of, history, Set.of());
        try (ScorerHttpServer server = new ScorerHttpServer(new RecommendationService(index, stores, history, options), metrics,
                () -> new ScorerHttpServer.Health(true, "UP", "RUNNING", index.stats().items(), index.stats().dim(), 1, 0, 0.0), events)
                .start("127.0.0.1", port)) {
            System.out.println("READY " + server.port() + " items=" + index.stats().items() + " dim=" + index.stats().dim() + " kernel=" + index.kernelName());
            System.out.flush();
            Thread.sleep(seconds * 1000L);
            System.out.println(metrics.prometheusText().lines()
                    .filter(l -> l.startsWith("streamrec_scorer_http_request_seconds") && l.contains("recommendations"))
                    .reduce("", (a, b) -> a + b + "\n"));
        }
    }

    private static float[] vec(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) (rnd.nextGaussian() * 0.3);
        }
        return v;
    }
}
