package io.streamrec.scorer.index;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.MalformedRecordException;
import io.streamrec.model.features.FeatureEncoder;
import io.streamrec.model.features.HybridScorer;
import io.streamrec.model.features.ItemFeatures;
import io.streamrec.model.features.UserFeatures;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hybrid family's side of serving: while hybrid weights are in force, the rows the index ranks are effective
 * vectors (an item's published id row plus its feature vector, {@link HybridScorer#itemVector}), and an item that
 * has metadata but no id row yet is in the index with its features-only vector, so it can be recommended and listed
 * as similar from the moment its metadata arrives (cold start). Users are ranked with their effective vector too
 * ({@link #userRow}), so a new user with demographics gets a personal list. Keeps the id rows and the metadata it
 * needs to rebuild every vector when new weights (and feature tables) arrive. Written by the global-store threads,
 * read by request threads: maps are concurrent, the scorer is swapped whole.
 */
public final class HybridItems {

    private final ItemMatrix matrix;
    private final Map<Long, FactorRow> idRows = new ConcurrentHashMap<>();
    private final Map<Long, ItemMetadata> items = new ConcurrentHashMap<>();
    private final Map<Long, UserMetadata> users = new ConcurrentHashMap<>();
    private final Map<Long, ItemFeatures> itemFeatures = new ConcurrentHashMap<>();
    private volatile HybridScorer scorer;
    private volatile FeatureEncoder encoder;

    HybridItems(ItemMatrix matrix) {
        this.matrix = matrix;
    }

    /** Whether hybrid weights are in force. */
    public boolean active() {
        return scorer != null;
    }

    /** Puts hybrid weights (and feature tables) in force, or none; every item's vector is rebuilt. */
    synchronized void setScorer(HybridScorer s, long steps) {
        if (s == null) {
            scorer = null;
            matrix.setDense(null, null, 0);
            Set<Long> featuresOnly = new HashSet<>(itemFeatures.keySet());
            featuresOnly.removeAll(idRows.keySet());
            featuresOnly.forEach(matrix::remove);
            idRows.forEach(matrix::upsert);
            return;
        }
        if (encoder == null || !encoder.spec().equals(s.tower().spec())) {
            encoder = new FeatureEncoder(s.tower().spec());
            itemFeatures.clear();
            items.values().forEach(this::encode);
        }
        scorer = s;
        matrix.setDense(s.network(), "hybrid", steps);
        Set<Long> all = new HashSet<>(idRows.keySet());
        all.addAll(itemFeatures.keySet());
        for (long id : all) {
            refresh(id);
        }
    }

    /** The row the index should hold for a published id row. */
    synchronized void itemRow(long item, FactorRow row) {
        idRows.put(item, row);
        if (scorer == null) {
            matrix.upsert(item, row);
        } else {
            refresh(item);
        }
    }

    /** A tombstone of the id row: an item with metadata keeps its features-only vector. */
    synchronized boolean itemRemoved(long item) {
        boolean had = idRows.remove(item) != null;
        if (scorer != null && itemFeatures.containsKey(item)) {
            refresh(item);
            return had;
        }
        return matrix.remove(item) || had;
    }

    /**
     * New or changed item metadata (null: a tombstone).
     *
     * @throws MalformedRecordException BAD_METADATA when it is beyond the encoder's limits (nothing changes)
     */
    public synchronized void itemMetadata(long item, ItemMetadata m) {
        if (m == null) {
            items.remove(item);
            itemFeatures.remove(item);
        } else {
            FeatureEncoder.check(m);
            items.put(item, m);
            encode(m);
        }
        if (scorer != null) {
            refresh(item);
        }
    }

    /** New or changed user metadata (null: a tombstone); refused as {@link #itemMetadata} is. */
    public void userMetadata(long user, UserMetadata m) {
        if (m == null) {
            users.remove(user);
        } else {
            FeatureEncoder.check(m);
            users.put(user, m);
        }
    }

    private void encode(ItemMetadata m) {
        if (encoder != null) {
            itemFeatures.put(m.item(), encoder.encode(m));
        }
    }

    private void refresh(long item) {
        HybridScorer s = scorer;
        FactorRow row = idRows.get(item);
        float[] v = s.itemVector(row == null ? null : asRow(row), itemFeatures.get(item));
        if (v == null) {
            matrix.remove(item);
            return;
        }
        matrix.upsert(item, new FactorRow(row == null ? 0 : row.modelVersion(), v[0],
                java.util.Arrays.copyOfRange(v, 1, v.length), row == null ? 0 : row.eventTimeMs()));
    }

    /**
     * The row a user is ranked with while hybrid weights are in force: the id row plus the demographics' vector, the
     * demographics' vector alone for a user without a row, or the row as is (null: neither).
     */
    public FactorRow userRow(long user, FactorRow row) {
        HybridScorer s = scorer;
        FeatureEncoder e = encoder;
        if (s == null || e == null) {
            return row;
        }
        UserMetadata m = users.get(user);
        UserFeatures f = m == null ? null : e.encode(m);
        if (row != null && row.vector().length + 1 != s.tower().width()) {
            return row;
        }
        float[] v = s.userVector(row == null ? null : asRow(row), f);
        if (v == null) {
            return null;
        }
        return new FactorRow(row == null ? 0 : row.modelVersion(), v[0], java.util.Arrays.copyOfRange(v, 1, v.length),
                row == null ? 0 : row.eventTimeMs());
    }

    /** Where an item's served vector comes from: "learned", "features-only", or null when hybrid is not in force. */
    public String source(long item) {
        if (scorer == null) {
            return null;
        }
        HybridScorer.Source s = HybridScorer.Source.of(idRows.get(item) == null ? null : new float[0], itemFeatures.get(item));
        return switch (s) {
            case LEARNED -> "learned";
            case FEATURES_ONLY -> "features-only";
            case NONE -> null;
        };
    }

    private static float[] asRow(FactorRow r) {
        float[] out = new float[1 + r.vector().length];
        out[0] = r.bias();
        System.arraycopy(r.vector(), 0, out, 1, r.vector().length);
        return out;
    }
}
