package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.UAutoRecScorer;
import io.streamrec.model.dense.UserHistory;
import io.streamrec.model.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * U-AutoRec (Sedhain et al. 2015) learned online: a user's input is their most recent n ≤ N ratings, centred on μ;
 * code a = sigmoid(b + Σ_j V_j (r_j − μ)); the predicted rating of item i is μ + o_u + c_i + W_i · a, o_u the
 * user's shrunk mean residual over the history ({@link UAutoRecScorer#userOffset}, not in the paper: see there).
 *
 * <p>Sparse rows: an item's row is MF-shaped ({@link RowLayout} with dim 2·hidden): decoder bias c_i at 0, vector
 * [V_i | W_i], per-row optimizer state, count, so item rows are created, stepped and published exactly like MF's. A
 * user's row is their history ({@link UserHistory}), of another width ({@link #requireUserShape}). Dense part: the
 * encoder bias b with Adam, in {@link #denseParameters()}. Scoring is {@link UAutoRecScorer}'s, shared with the
 * scorer.
 *
 * <p>Events are handled one at a time in batch order (the batch only groups row reads and writes): each event is
 * predicted from the user's code before the event is added and learned, the model then steps on that event's loss,
 * L = ½ Σ_targets (r̂_t − r_t)² + λ/2 (‖W_t‖² + Σ_inputs ‖V_j‖²), targets being the new rating (plus, with
 * {@code reconstruct}, the ratings already in the input, as in the paper's loss), and appends it to the history.
 * Cost per event O(N · hidden), the N input rows all being stepped and written.
 *
 * <p>Over 300 lines because the per-event working set (slots, gradient buffers), the gradient itself (which the
 * finite-difference test calls directly) and the encoder bias's Adam belong together; the scoring arithmetic lives
 * in {@link UAutoRecScorer}.
 */
public final class UAutoRecModel implements OnlineModel {

    private static final Logger LOG = LoggerFactory.getLogger(UAutoRecModel.class);
    /** Version of the U-AutoRec state layout (rows, history, tensors); part of the fingerprint. */
    public static final int FORMAT = 1;
    static final String ADAM_M = DenseParameters.OPTIMIZER_STATE_PREFIX + "adam.m";
    static final String ADAM_V = DenseParameters.OPTIMIZER_STATE_PREFIX + "adam.v";

    private final UAutoRecHyperParameters params;
    private final MfHyperParameters rowParams;
    private final RowLayout layout;
    private final Optimizer optimizer;
    private final String fingerprint;
    private final int hidden;
    private final int userWidth;
    private final RunningGlobalStats stats;
    private final float[] encoderBias;
    private final float[] adamM;
    private final float[] adamV;
    private long denseSteps;
    /** μ + the user's offset for the event being learned (set by {@link #gatherSlots}). */
    private float base;
    private float offsetDenominator;
    private final ChangedRows changed = new ChangedRows();

    // One event's working set: the input rows (history) and the target slot, with a gradient buffer per slot.
    private final long[] slotIds;
    private final float[][] slotRows;
    private final float[] slotX;
    private final float[] slotRating;
    private final float[] grad;
    private final float[] code;
    /** The item rows of the latest batch, for the ranking path's code (see {@link #catalogueRanker}). */
    private Rows lastItems;
    private final float[] dz;
    private final Map<Long, float[]> batchUsers = new HashMap<>();
    private final Map<Long, float[]> batchItems = new HashMap<>();

    public UAutoRecModel(UAutoRecHyperParameters params) {
        this.params = Objects.requireNonNull(params, "params");
        this.rowParams = params.rowHyperParameters();
        this.layout = RowLayout.of(rowParams);
        this.optimizer = Optimizer.of(layout, rowParams);
        this.hidden = params.hidden();
        this.userWidth = UserHistory.width(params.history());
        this.fingerprint = fingerprintOf(params, layout);
        this.stats = new RunningGlobalStats(GlobalStats.empty(params.ratingScale()).mean());
        this.encoderBias = new float[hidden];
        this.adamM = new float[hidden];
        this.adamV = new float[hidden];
        int slots = params.history() + 1;
        this.slotIds = new long[slots];
        this.slotRows = new float[slots][];
        this.slotX = new float[slots];
        this.slotRating = new float[slots];
        this.grad = new float[slots * layout.parameters()];
        this.code = new float[hidden];
        this.dz = new float[hidden];
        LOG.debug("created U-AutoRec {} with {}", fingerprint, layout);
    }

    /** family, hidden size, history bound N, loss, both optimizers, row widths, state format. */
    static String fingerprintOf(UAutoRecHyperParameters p, RowLayout layout) {
        return ModelKind.U_AUTOREC.id() + ";hidden=" + p.hidden() + ";history=" + p.history() + ";loss="
                + (p.reconstruct() ? "reconstruct+next" : "next") + ";rows=" + p.optimizer().name().toLowerCase(Locale.ROOT)
                + ";dense=adam;row-width=" + layout.width() + ";user-width=" + UserHistory.width(p.history())
                + ";format=" + FORMAT;
    }

    public UAutoRecHyperParameters uAutoRecHyperParameters() {
        return params;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.U_AUTOREC;
    }

    @Override
    public MfHyperParameters hyperParameters() {
        return rowParams;
    }

    @Override
    public Map<String, String> settings() {
        return params.toSettings();
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    /** The item rows' layout; user rows are histories ({@link #requireUserShape}). */
    @Override
    public RowLayout layout() {
        return layout;
    }

    @Override
    public void requireUserShape(float[] row) {
        if (row == null || row.length != userWidth) {
            throw new IllegalArgumentException("user row has " + (row == null ? "no" : row.length) + " floats but "
                    + fingerprint + " keeps histories of " + params.history() + " ratings (" + userWidth
                    + " floats); was the state written with other model settings?");
        }
    }

    /** The user's history as the public row (bias 0): the scorer computes the user's code from it. */
    @Override
    public FactorRow userFactorRow(float[] row, long modelVersion, long eventTimeMs) {
        requireUserShape(row);
        return new FactorRow(modelVersion, 0f, row.clone(), eventTimeMs);
    }

    @Override
    public void predict(MiniBatch batch, Rows users, Rows items) {
        lastItems = items;
        run(batch, users, items, true, false);
    }

    @Override
    public ChangedRows learn(MiniBatch batch, Rows users, Rows items) {
        lastItems = items;
        return run(batch, users, items, false, true);
    }

    @Override
    public ChangedRows process(MiniBatch batch, Rows users, Rows items) {
        lastItems = items;
        return run(batch, users, items, true, true);
    }

    /**
     * Not available: a user's code reads the item rows of their whole history, which a (user row, item row) pair does
     * not carry. Use {@link #score(float[], float[], Rows)}.
     */
    @Override
    public float score(float[] userRow, float[] itemRow) {
        throw new IllegalStateException("u-autorec scores from the user's history and the item rows it names: call "
                + "score(history, itemRow, items)");
    }

    /** Scores one (user, item) pair from rows as stored (either may be null: cold), clamped like batch predictions. */
    public float score(float[] history, float[] itemRow, Rows items) {
        float mean = (float) stats.mean();
        if (itemRow == null) {
            return params.ratingScale().clamp(mean);
        }
        layout.requireShape(itemRow);
        float[] a = new float[hidden];
        if (history == null) {
            UAutoRecScorer.code(encoderBias, UserHistory.empty(0), items::get, mean, a);
            return params.ratingScale().clamp(UAutoRecScorer.score(hidden, a, itemRow, mean));
        }
        requireUserShape(history);
        UAutoRecScorer.code(encoderBias, history, items::get, mean, a);
        float base = mean + UAutoRecScorer.userOffset(history, items::get, mean);
        return params.ratingScale().clamp(UAutoRecScorer.score(hidden, a, itemRow, base));
    }

    /**
     * Ranks by W_i·code + c_i: the user's code is encoded once from the history and the item rows of the table the
     * model last learned or predicted from (a history names items by id; the catalogue alone does not carry them); μ
     * and the user's offset are the same for every item, so they are left out of the ranking score.
     */
    @Override
    public CatalogueRanker catalogueRanker(float[][] itemRows, int count) {
        for (int k = 0; k < count; k++) {
            layout.requireShape(itemRows[k]);
        }
        Rows items = lastItems;
        float mean = (float) stats.mean();
        return (userRow, out) -> {
            float[] a = new float[hidden];
            float[] history = userRow == null ? UserHistory.empty(0) : userRow;
            UAutoRecScorer.code(encoderBias, history, id -> items == null ? null : items.get(id), mean, a);
            for (int k = 0; k < count; k++) {
                out[k] = UAutoRecScorer.score(hidden, a, itemRows[k], 0f);
            }
        };
    }

    @Override
    public GlobalStats global() {
        return stats.snapshot();
    }

    @Override
    public void restoreGlobal(GlobalStats restored) {
        stats.restore(restored);
    }

    @Override
    public float[] globalOutputVector() {
        return new io.streamrec.common.model.RatingOutput(params.ratingScale(), false)
                .globalVector(stats.count(), stats.minSeen(), stats.maxSeen());
    }

    @Override
    public Optional<DenseParameters> denseParameters() {
        return Optional.of(new DenseParameters(fingerprint, denseSteps, List.of(
                new DenseParameters.Tensor(UAutoRecScorer.ENCODER_BIAS, new int[]{hidden}, encoderBias),
                new DenseParameters.Tensor(ADAM_M, new int[]{hidden}, adamM),
                new DenseParameters.Tensor(ADAM_V, new int[]{hidden}, adamV))));
    }

    @Override
    public void restoreDense(DenseParameters dense) {
        Objects.requireNonNull(dense, "dense");
        if (!dense.fingerprint().equals(fingerprint)) {
            throw new IllegalStateException("dense parameters of '" + dense.fingerprint() + "' cannot be restored into '"
                    + fingerprint + "'");
        }
        copy(dense.tensor(UAutoRecScorer.ENCODER_BIAS).values(), encoderBias);
        // An average of subtask copies carries the weights only: the optimizer state then restarts.
        if (dense.has(ADAM_M) && dense.has(ADAM_V)) {
            copy(dense.tensor(ADAM_M).values(), adamM);
            copy(dense.tensor(ADAM_V).values(), adamV);
        } else {
            Arrays.fill(adamM, 0f);
            Arrays.fill(adamV, 0f);
        }
        denseSteps = dense.steps();
    }

    /** The scorer over the current encoder bias (what the published dense parameters build). */
    public UAutoRecScorer scorer() {
        return new UAutoRecScorer(denseParameters().orElseThrow().weightsOnly());
    }

    private ChangedRows run(MiniBatch batch, Rows users, Rows items, boolean predict, boolean learn) {
        batchUsers.clear();
        batchItems.clear();
        long[] u = batch.usersColumn();
        long[] it = batch.itemsColumn();
        float[] r = batch.ratingsColumn();
        for (int e = 0; e < batch.size(); e++) {
            float[] history = user(users, u[e], learn);
            float[] itemRow = item(items, it[e], learn, false);
            if (predict) {
                float mean = (float) stats.mean();
                boolean cold = history == null || UserHistory.size(history) == 0 || itemRow == null
                        || layout.count(itemRow) == 0f;
                float p;
                if (itemRow == null) {
                    p = params.ratingScale().clamp(mean);
                } else {
                    encode(history, items, mean);
                    float base = history == null ? mean : mean + UAutoRecScorer.userOffset(history, id -> {
                        float[] row = batchItems.get(id);
                        return row != null ? row : items.get(id);
                    }, mean);
                    p = params.ratingScale().clamp(UAutoRecScorer.score(hidden, code, itemRow, base));
                }
                batch.setPrediction(e, p, cold);
            }
            if (learn) {
                step(history, it[e], item(items, it[e], true, true), r[e], items);
                UserHistory.add(history, it[e], r[e]);
                stats.add(r[e]);
            }
        }
        changed.clear();
        if (learn) {
            for (Map.Entry<Long, float[]> x : batchUsers.entrySet()) {
                users.put(x.getKey(), x.getValue());
                changed.addUser(x.getKey(), x.getValue());
            }
            for (Map.Entry<Long, float[]> x : batchItems.entrySet()) {
                items.put(x.getKey(), x.getValue());
                changed.addItem(x.getKey(), x.getValue());
            }
            changed.setGlobal(stats.mean(), batch.maxTimestamp());
        }
        return changed;
    }

    private float[] user(Rows users, long id, boolean create) {
        float[] row = batchUsers.get(id);
        if (row != null) {
            return row;
        }
        row = users.get(id);
        if (row != null) {
            requireUserShape(row);
        } else if (create) {
            row = UserHistory.empty(params.history());
        } else {
            return null;
        }
        batchUsers.put(id, row);
        return row;
    }

    /** The item's row as it stands in this batch (null when never learned, unless {@code create}). */
    private float[] item(Rows items, long id, boolean create, boolean forWrite) {
        float[] row = batchItems.get(id);
        if (row != null) {
            return row;
        }
        row = items.get(id);
        if (row != null) {
            layout.requireShape(row);
        } else if (create) {
            row = layout.newRow(FactorKind.ITEM, id);
        } else {
            return null;
        }
        if (create || forWrite) {
            batchItems.put(id, row);
        }
        return row;
    }

    /** {@link #code} := the user's code from the rows as they stand in this batch. */
    private void encode(float[] history, Rows items, float mean) {
        float[] h = history == null ? UserHistory.empty(0) : history;
        UAutoRecScorer.code(encoderBias, h, id -> {
            float[] row = batchItems.get(id);
            return row != null ? row : items.get(id);
        }, mean, code);
    }

    /** One event's gradient step: the item rows of the input and the target, then the encoder bias. */
    private void step(float[] history, long item, float[] itemRow, float rating, Rows items) {
        int n = gatherSlots(history, item, itemRow, items);
        gradients(n, rating);
        int w = layout.parameters();
        for (int k = 0; k < n; k++) {
            if (slotIds[k] == item) {
                // A re-rated item is both an input (encoder part) and the target (decoder part): one row, one step.
                for (int p = 0; p < w; p++) {
                    grad[n * w + p] += grad[k * w + p];
                }
            }
        }
        for (int k = 0; k <= n; k++) {
            if (slotRows[k] != null && (k == n || slotIds[k] != item)) {
                optimizer.apply(slotRows[k], grad, k * w, k == n ? 1 : 0);
            }
        }
        adam(dz);
    }

    /**
     * Slots 0..n-1: the history's items (their rows; x = r − μ), slot n: the target item. A history item without a
     * row (possible only after a restore from other state) is skipped. Returns n.
     */
    int gatherSlots(float[] history, long item, float[] itemRow, Rows items) {
        int n = history == null ? 0 : UserHistory.size(history);
        float mean = (float) stats.mean();
        for (int k = 0; k < n; k++) {
            long id = UserHistory.item(history, k);
            slotIds[k] = id;
            slotRows[k] = id == item ? itemRow : item(items, id, false, true);
            slotRating[k] = UserHistory.rating(history, k);
            slotX[k] = slotRating[k] - mean;
        }
        slotIds[n] = item;
        slotRows[n] = itemRow;
        slotRating[n] = 0f;
        slotX[n] = 0f;
        double residuals = 0;
        for (int k = 0; k < n; k++) {
            residuals += slotRating[k] - mean - (slotRows[k] == null ? 0f : slotRows[k][0]);
        }
        offsetDenominator = n + UAutoRecScorer.OFFSET_PRIOR;
        base = (float) (mean + residuals / offsetDenominator);
        return n;
    }

    /**
     * Fills {@link #grad} (per slot: [∂c, ∂V, ∂W]) and {@link #dz} (= ∂L/∂b) for the gathered slots, and leaves the
     * code in {@link #code}. Returns the event's loss L (the gradient check differentiates it).
     */
    double gradients(int n, float rating) {
        int w = layout.parameters();
        float mean = (float) stats.mean();
        Arrays.fill(grad, 0, (n + 1) * w, 0f);
        System.arraycopy(encoderBias, 0, code, 0, hidden);
        for (int k = 0; k < n; k++) {
            float[] row = slotRows[k];
            if (row == null) {
                continue;
            }
            for (int j = 0; j < hidden; j++) {
                code[j] += row[1 + j] * slotX[k];
            }
        }
        for (int j = 0; j < hidden; j++) {
            code[j] = UAutoRecScorer.sigmoid(code[j]);
        }
        float lambda = params.lambda();
        Arrays.fill(dz, 0f);
        double loss = 0;
        float errorSum = 0f;
        // Targets: the new rating (slot n) and, when reconstructing, each input rating.
        for (int k = params.reconstruct() ? 0 : n; k <= n; k++) {
            float[] row = slotRows[k];
            if (row == null) {
                continue;
            }
            float target = k == n ? rating : slotRating[k];
            float err = UAutoRecScorer.score(hidden, code, row, base) - target;
            loss += 0.5 * err * err;
            errorSum += err;
            int g = k * w;
            grad[g] += err;
            for (int j = 0; j < hidden; j++) {
                float wj = row[1 + hidden + j];
                grad[g + 1 + hidden + j] += err * code[j] + lambda * wj;
                dz[j] += err * wj;
                loss += 0.5 * lambda * wj * wj;
            }
        }
        for (int j = 0; j < hidden; j++) {
            dz[j] *= code[j] * (1f - code[j]);
        }
        // The offset is (Σ r_j − μ − c_j) / (n + prior): each target's error reaches the input items' c_j.
        for (int k = 0; k < n; k++) {
            if (slotRows[k] != null) {
                grad[k * w] -= errorSum / offsetDenominator;
            }
        }
        for (int k = 0; k < n; k++) {
            float[] row = slotRows[k];
            if (row == null) {
                continue;
            }
            int g = k * w + 1;
            for (int j = 0; j < hidden; j++) {
                float vj = row[1 + j];
                grad[g + j] += dz[j] * slotX[k] + lambda * vj;
                loss += 0.5 * lambda * vj * vj;
            }
        }
        return loss;
    }

    /** Adam on the encoder bias (β1 0.9, β2 0.999, ε 1e-8). */
    private void adam(float[] g) {
        denseSteps++;
        double b1 = 0.9;
        double b2 = 0.999;
        double alpha = params.denseLearningRate() * Math.sqrt(1 - Math.pow(b2, denseSteps)) / (1 - Math.pow(b1, denseSteps));
        for (int j = 0; j < hidden; j++) {
            adamM[j] = (float) (b1 * adamM[j] + (1 - b1) * g[j]);
            adamV[j] = (float) (b2 * adamV[j] + (1 - b2) * g[j] * g[j]);
            encoderBias[j] -= (float) (alpha * adamM[j] / (Math.sqrt(adamV[j]) + 1e-8));
        }
    }

    // Test access to the working set and the dense parameter.
    float[] gradientBuffer() {
        return grad;
    }

    float[] dzBuffer() {
        return dz;
    }

    float[] encoderBias() {
        return encoderBias;
    }

    private static void copy(float[] from, float[] to) {
        if (from.length != to.length) {
            throw new IllegalStateException("tensor of " + from.length + " values, expected " + to.length);
        }
        System.arraycopy(from, 0, to, 0, to.length);
    }

    @Override
    public String toString() {
        return "UAutoRecModel{" + fingerprint + '}';
    }
}
