package io.streamrec.cli.demo;

import io.streamrec.ingest.DatasetLoader;
import io.streamrec.ingest.LoadedDataset;
import io.streamrec.ingest.RatingColumns;
import io.streamrec.ingest.synthetic.DriftKind;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.ingest.synthetic.SyntheticStream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dataset the demo replays, with what the demo needs to judge the result: how many events, which items each
 * sample user rated (recommendations must exclude them), and event times for probe ratings.
 */
public record DatasetChoice(String description, String argument, List<String> extraArgs, long events,
                            List<Long> sampleUsers, Map<Long, Set<Long>> ratedBy, List<Long> allItems, long maxTimestamp) {

    static final int SYNTHETIC_USERS = 3_000;
    static final int SYNTHETIC_ITEMS = 1_500;
    static final long SYNTHETIC_EVENTS = 200_000;

    /** Reads a dataset file or folder with the ingest loader (the same code the replay uses). */
    public static DatasetChoice load(Path path, String description) {
        LoadedDataset d = DatasetLoader.load(path, (io.streamrec.ingest.DatasetFormat) null);
        return of(d.ratings(), description, path.toAbsolutePath().toString(), List.of());
    }

    private static DatasetChoice of(RatingColumns r, String description, String argument, List<String> extraArgs) {
        long[] users = r.users();
        long[] items = r.items();
        Map<Long, Integer> activity = new HashMap<>();
        for (long u : users) {
            activity.merge(u, 1, Integer::sum);
        }
        // The most active users make the best samples: their recommendations are the least noisy.
        List<Long> sample = activity.entrySet().stream()
                .sorted(Map.Entry.<Long, Integer>comparingByValue().reversed()).limit(3).map(Map.Entry::getKey).toList();
        Map<Long, Set<Long>> rated = new HashMap<>();
        for (long u : sample) {
            rated.put(u, new HashSet<>());
        }
        Set<Long> allItems = new HashSet<>();
        long maxTs = 0;
        long[] ts = r.timestampsMs();
        for (int i = 0; i < users.length; i++) {
            Set<Long> s = rated.get(users[i]);
            if (s != null) {
                s.add(items[i]);
            }
            allItems.add(items[i]);
            maxTs = Math.max(maxTs, ts[i]);
        }
        return new DatasetChoice(description + ", " + r.size() + " ratings", argument, extraArgs,
                r.size(), sample, rated, new ArrayList<>(allItems), maxTs);
    }

    /**
     * The synthetic stream with planted drift. The replay generates it from the same seed and flags; generating it
     * here too tells the demo which items the sample users rated.
     */
    public static DatasetChoice synthetic(String description) {
        List<String> extra = List.of("--users", Integer.toString(SYNTHETIC_USERS), "--items", Integer.toString(SYNTHETIC_ITEMS),
                "--events", Long.toString(SYNTHETIC_EVENTS), "--seed", "42", "--drift-at", "0.6", "--drift-kind", "user-taste");
        SyntheticConfig c = SyntheticConfig.defaults().withSize(SYNTHETIC_USERS, SYNTHETIC_ITEMS, SYNTHETIC_EVENTS).withSeed(42)
                .withDrift(0.6, DriftKind.USER_TASTE, SyntheticConfig.defaults().driftShare());
        return of(new SyntheticStream(c).toColumns(), description, "synthetic", extra);
    }

    /** An item the user has not rated, for a freshness probe; varies with {@code salt}. */
    public long unratedItem(long user, int salt) {
        Set<Long> rated = ratedBy.getOrDefault(user, Set.of());
        for (int i = 0; i < allItems.size(); i++) {
            long item = allItems.get((i + salt * 7919) % allItems.size());
            if (!rated.contains(item)) {
                return item;
            }
        }
        return allItems.isEmpty() ? 1 : allItems.get(0);
    }
}
