package io.streamrec.model.features;

import java.util.List;
import java.util.Objects;

/**
 * The shape of the hybrid family's side features: how many hash buckets each vocabulary gets, how titles are
 * encoded, and the widths of the text encoder. Trainer and scorer agree on a feature's bucket through
 * {@link FeatureEncoder}'s stable hash alone (no vocabulary is shipped), so every number here is part of the
 * model's fingerprint ({@link #describe}).
 *
 * @param genreBuckets      hash buckets for genre names
 * @param wordBuckets       hash buckets for title words
 * @param occupationBuckets hash buckets for occupations
 * @param maxWords          title words used, first to last (the rest are ignored)
 * @param text              how a title becomes a vector: bag of words (mean of word embeddings) or a text CNN
 * @param wordDim           CNN only: width of a word embedding
 * @param filters           CNN only: filters per window size
 * @param windows           CNN only: the window sizes (words per convolution)
 */
public record FeatureSpec(int genreBuckets, int wordBuckets, int occupationBuckets, int maxWords, TextEncoder text,
                          int wordDim, int filters, List<Integer> windows) {

    /** Title encoders. */
    public enum TextEncoder {
        /** Mean of the title words' embeddings (each already of the item vector's width). */
        BOW,
        /** Word embeddings ► 1-D convolutions of several window sizes + ReLU ► max over positions ► linear. */
        CNN;

        public static TextEncoder parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("text encoder must be bow or cnn, got '" + text + "'", e);
            }
        }
    }

    /** Release-year buckets: 5 years each from 1900 (earlier years share the first, later ones the last). */
    public static final int YEAR_BUCKETS = 28;
    public static final int YEAR_FROM = 1900;
    public static final int YEAR_SPAN = 5;
    /** Gender buckets: M, F, anything else given. */
    public static final int GENDER_BUCKETS = 3;
    /** Age buckets: <18, 18–24, 25–34, 35–44, 45–49, 50–55, 56+ (ml-1m's codes fall into the same bands). */
    public static final int AGE_BUCKETS = 7;

    public static final int MAX_BUCKETS = 1 << 20;

    public FeatureSpec {
        Objects.requireNonNull(text, "text");
        windows = List.copyOf(Objects.requireNonNull(windows, "windows"));
        requireRange("genreBuckets", genreBuckets, 1, MAX_BUCKETS);
        requireRange("wordBuckets", wordBuckets, 1, MAX_BUCKETS);
        requireRange("occupationBuckets", occupationBuckets, 1, MAX_BUCKETS);
        requireRange("maxWords", maxWords, 1, 256);
        requireRange("wordDim", wordDim, 1, 1024);
        requireRange("filters", filters, 1, 1024);
        if (windows.isEmpty() || windows.size() > 8) {
            throw new IllegalArgumentException("windows must list 1 to 8 window sizes, got " + windows);
        }
        for (int w : windows) {
            requireRange("window size", w, 1, maxWords);
        }
    }

    public static FeatureSpec defaults() {
        return new FeatureSpec(64, 2048, 64, 12, TextEncoder.BOW, 16, 16, List.of(2, 3));
    }

    public FeatureSpec withText(TextEncoder t) {
        return new FeatureSpec(genreBuckets, wordBuckets, occupationBuckets, maxWords, t, wordDim, filters, windows);
    }

    /** What the fingerprint carries: every number that decides a bucket or a tensor shape. */
    public String describe() {
        String base = "genres=" + genreBuckets + ";words=" + wordBuckets + ";occupations=" + occupationBuckets
                + ";max-words=" + maxWords + ";years=" + YEAR_FROM + "+" + YEAR_SPAN + "x" + YEAR_BUCKETS + ";hash=fnv1a64";
        if (text == TextEncoder.CNN) {
            return base + ";text=cnn:" + wordDim + "x" + filters + "@" + windows.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(","));
        }
        return base + ";text=bow";
    }

    /**
     * The spec a fingerprint was written with: the {@link #describe} part of it, wherever it sits in the text
     * (readers such as the scorer rebuild the tables of published parameters from it).
     *
     * @throws IllegalArgumentException when the text carries no complete feature description
     */
    public static FeatureSpec parse(String fingerprint) {
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (String part : fingerprint.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        try {
            String text = java.util.Objects.requireNonNull(kv.get("text"), "text");
            FeatureSpec d = defaults();
            TextEncoder enc = text.startsWith("cnn:") ? TextEncoder.CNN : TextEncoder.parse(text);
            int wordDim = d.wordDim();
            int filters = d.filters();
            List<Integer> windows = d.windows();
            if (enc == TextEncoder.CNN) {
                String[] a = text.substring(4).split("@");
                String[] wf = a[0].split("x");
                wordDim = Integer.parseInt(wf[0]);
                filters = Integer.parseInt(wf[1]);
                windows = java.util.Arrays.stream(a[1].split(",")).map(Integer::valueOf).toList();
            }
            return new FeatureSpec(Integer.parseInt(kv.get("genres")), Integer.parseInt(kv.get("words")),
                    Integer.parseInt(kv.get("occupations")), Integer.parseInt(kv.get("max-words")), enc, wordDim, filters,
                    windows);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("fingerprint '" + fingerprint + "' carries no complete feature spec", e);
        }
    }

    private static void requireRange(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }
}
