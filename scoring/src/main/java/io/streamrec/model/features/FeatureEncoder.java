package io.streamrec.model.features;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.MalformedRecordException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns item and user metadata (the records of the {@code items} and {@code users} topics, and what {@code evaluate}
 * reads from a dataset's files) into bucket indices, after checking them against the limits below. The one place
 * that does this, for evaluate, the trainer and the scorer alike.
 *
 * <p>The hashing trick instead of a vocabulary: a genre, title word or occupation goes to bucket
 * {@code fnv1a64(namespace + ":" + lowercase token) mod buckets} (FNV-1a, 64-bit, over UTF-8; namespaces
 * {@code g}, {@code w}, {@code o}), so two processes agree on a bucket without exchanging anything but the
 * bucket counts, which the fingerprint carries. Collisions share an embedding; with 64 genre buckets for
 * MovieLens' 20 genres and 2,048 word buckets for the few thousand title words of ml-100k they share some rows (measured: docs/notes/model-experiments.md).
 */
public final class FeatureEncoder {

    /** Release years outside this range are not a film's: rejected as {@link RejectReason#BAD_METADATA}. */
    public static final int MIN_YEAR = 1870;
    public static final int MAX_YEAR = 2100;
    public static final int MAX_GENRES = 64;
    public static final int MAX_GENRE_CHARS = 64;
    public static final int MAX_TITLE_CHARS = 1024;
    public static final int MAX_AGE = 150;
    public static final int MAX_FIELD_CHARS = 128;

    /** Words that carry nothing about a film ("Usual Suspects, The"). */
    private static final Set<String> STOP_WORDS = Set.of("the", "a", "an", "of", "and", "in", "on", "to", "for");

    private final FeatureSpec spec;

    public FeatureEncoder(FeatureSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public FeatureSpec spec() {
        return spec;
    }

    /**
     * @throws MalformedRecordException with {@link RejectReason#BAD_METADATA} when a field is beyond the limits
     */
    public ItemFeatures encode(ItemMetadata m) {
        Objects.requireNonNull(m, "metadata");
        check(m);
        Set<Integer> genres = new LinkedHashSet<>();
        for (String g : m.genres()) {
            String t = g.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                genres.add(bucket("g", t, spec.genreBuckets()));
            }
        }
        int year = m.year() == null ? -1 : yearBucket(m.year());
        List<String> words = words(m.title(), spec.maxWords());
        int[] w = new int[words.size()];
        for (int k = 0; k < w.length; k++) {
            w[k] = bucket("w", words.get(k), spec.wordBuckets());
        }
        return new ItemFeatures(genres.stream().mapToInt(Integer::intValue).toArray(), year, w);
    }

    /**
     * @throws MalformedRecordException with {@link RejectReason#BAD_METADATA} when a field is beyond the limits
     */
    public UserFeatures encode(UserMetadata m) {
        Objects.requireNonNull(m, "metadata");
        check(m);
        int gender = -1;
        if (m.gender() != null && !m.gender().isBlank()) {
            String g = m.gender().trim().toUpperCase(Locale.ROOT);
            gender = g.equals("M") ? 0 : g.equals("F") ? 1 : 2;
        }
        int age = m.age() == null ? -1 : ageBucket(m.age());
        int occupation = m.occupation() == null || m.occupation().isBlank() ? -1
                : bucket("o", m.occupation().trim().toLowerCase(Locale.ROOT), spec.occupationBuckets());
        return new UserFeatures(gender, age, occupation);
    }

    /** Refuses what no real item has: a title over 1,024 characters, more than 64 genres, a year outside 1870–2100. */
    public static void check(ItemMetadata m) {
        if (m.title().length() > MAX_TITLE_CHARS) {
            throw bad("item " + m.item() + ": title of " + m.title().length() + " characters (at most " + MAX_TITLE_CHARS + ")");
        }
        if (m.genres().size() > MAX_GENRES) {
            throw bad("item " + m.item() + ": " + m.genres().size() + " genres (at most " + MAX_GENRES + ")");
        }
        for (String g : m.genres()) {
            if (g == null || g.length() > MAX_GENRE_CHARS) {
                throw bad("item " + m.item() + ": a genre that is null or over " + MAX_GENRE_CHARS + " characters");
            }
        }
        if (m.year() != null && (m.year() < MIN_YEAR || m.year() > MAX_YEAR)) {
            throw bad("item " + m.item() + ": release year " + m.year() + " outside " + MIN_YEAR + ".." + MAX_YEAR);
        }
        if (m.item() < 0) {
            throw bad("item id " + m.item() + " is negative");
        }
    }

    /** Refuses an age outside 0–150 and text fields over 128 characters. */
    public static void check(UserMetadata m) {
        if (m.user() < 0) {
            throw bad("user id " + m.user() + " is negative");
        }
        if (m.age() != null && (m.age() < 0 || m.age() > MAX_AGE)) {
            throw bad("user " + m.user() + ": age " + m.age() + " outside 0.." + MAX_AGE);
        }
        for (String f : new String[]{m.gender(), m.occupation(), m.zip()}) {
            if (f != null && f.length() > MAX_FIELD_CHARS) {
                throw bad("user " + m.user() + ": a field of " + f.length() + " characters (at most " + MAX_FIELD_CHARS + ")");
            }
        }
    }

    private static MalformedRecordException bad(String detail) {
        return new MalformedRecordException(RejectReason.BAD_METADATA, detail);
    }

    static int yearBucket(int year) {
        int b = Math.floorDiv(year - FeatureSpec.YEAR_FROM, FeatureSpec.YEAR_SPAN);
        return Math.max(0, Math.min(FeatureSpec.YEAR_BUCKETS - 1, b));
    }

    static int ageBucket(int age) {
        if (age < 18) {
            return 0;
        }
        if (age < 25) {
            return 1;
        }
        if (age < 35) {
            return 2;
        }
        if (age < 45) {
            return 3;
        }
        if (age < 50) {
            return 4;
        }
        return age < 56 ? 5 : 6;
    }

    /** Lowercased runs of letters and digits, stop words dropped, at most {@code max}, in title order. */
    static List<String> words(String title, int max) {
        List<String> out = new ArrayList<>();
        String t = title.toLowerCase(Locale.ROOT);
        int i = 0;
        int n = t.length();
        while (i < n && out.size() < max) {
            while (i < n && !Character.isLetterOrDigit(t.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(t.charAt(i))) {
                i++;
            }
            if (i > start) {
                String w = t.substring(start, i);
                if (!STOP_WORDS.contains(w)) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /** FNV-1a 64 of "namespace:token" in UTF-8, unsigned mod {@code buckets}: stable across JVMs and versions. */
    public static int bucket(String namespace, String token, int buckets) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (namespace + ":" + token).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(h, buckets);
    }
}
