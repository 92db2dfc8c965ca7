package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.RatingOutput;
import io.streamrec.model.nn.DlPlusNetwork;
import io.streamrec.model.optim.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The "DL+" embedding MLP (fastai's EmbeddingNN): r̂ = out(b_u + b_i + MLP([p_u, q_i])) with out the linear μ + x
 * or the sigmoid range, trained online one mini-batch at a time.
 *
 * <p>Sparse rows: user and item rows are MF-shaped ({@link RowLayout}: bias, embedding, per-row optimizer state,
 * count), created lazily with seeded values and stepped by the per-row {@link Optimizer} with the gradients the
 * network hands back for its input, summed over every event of the batch that touches the row (like BiasedMf's
 * batch mode), plus L2 per event. Dense part: {@link DlPlusNetwork} (DL4J on ND4J, Adam). Scoring, for predictions
 * as for {@link #score}, is {@link DlPlusScorer}'s plain-Java forward, so trainer and scorer agree by construction.
 *
 * <p>Prequential semantics as BiasedMf's two update modes: {@code sequential} (the default) predicts and steps the
 * rows event by event inside the batch, with the network's weights as they stood before the batch and one network
 * step per batch; {@code batch} predicts every event with the state before the batch (rows and weights), then
 * learns. An event whose user or item had no row before it is cold: μ plus the known bias.
 *
 * <p>Over 300 lines because it keeps the batch's gather/scatter bookkeeping (distinct-row indices, reusable arrays)
 * in one place, as {@link BiasedMf} does; the network and the forward pass already live in their own classes.
 */
public final class DlPlusModel implements OnlineModel {

    private static final Logger LOG = LoggerFactory.getLogger(DlPlusModel.class);
    /** Version of the DL+ state layout (rows and tensors); part of the fingerprint. */
    public static final int FORMAT = 1;

    private final DlPlusHyperParameters params;
    private final MfHyperParameters rowParams;
    private final RowLayout layout;
    private final Optimizer optimizer;
    private final DlPlusNetwork network;
    private final String fingerprint;
    private final LongIndex userIndex;
    private final LongIndex itemIndex;
    private final ChangedRows changed = new ChangedRows();
    private DlPlusScorer scorer;

    private float[][] userRows = new float[16][];
    private boolean[] userCold = new boolean[16];
    private long[] userIds = new long[16];
    private int[] userEvents = new int[16];
    private float[][] itemRows = new float[16][];
    private boolean[] itemCold = new boolean[16];
    private long[] itemIds = new long[16];
    private int[] itemEvents = new int[16];
    private int[] eventUser = new int[16];
    private int[] eventItem = new int[16];
    private float[] input = new float[0];
    private float[] offsets = new float[16];
    private float[] ratings = new float[16];
    private float[] userGrad = new float[0];
    private float[] itemGrad = new float[0];
    private float[] eventGradUser = new float[0];
    private float[] eventGradItem = new float[0];
    private float[] stepUser = new float[0];
    private float[] stepItem = new float[0];

    private final RunningGlobalStats stats;

    public DlPlusModel(DlPlusHyperParameters params) {
        this(params, DataType.FLOAT);
    }

    /** {@code dataType} DOUBLE only for gradient checks: scoring stays float either way. */
    DlPlusModel(DlPlusHyperParameters params, DataType dataType) {
        this.params = Objects.requireNonNull(params, "params");
        this.rowParams = params.rowHyperParameters();
        this.layout = RowLayout.of(rowParams);
        this.optimizer = Optimizer.of(layout, rowParams);
        this.fingerprint = fingerprintOf(params, layout);
        RatingOutput shape = RatingOutput.of(0, 0, 0, 0, params.sigmoidRange(), params.ratingScale().min(), params.ratingScale().max());
        this.network = new DlPlusNetwork(new DlPlusNetwork.Spec(params.dim(), params.product(), params.hidden(), params.dropout(),
                params.denseLearningRate(), params.l2Weights(), params.seed(), params.sigmoidRange(), shape.squashLo(),
                shape.squashSpan(), dataType), fingerprint);
        this.userIndex = new LongIndex(params.batchSize());
        this.itemIndex = new LongIndex(params.batchSize());
        this.stats = new RunningGlobalStats(GlobalStats.empty(params.ratingScale()).mean());
        LOG.debug("created DL+ {} with {}", fingerprint, layout);
    }

    /** family, dims, layer sizes, both optimizers, row width, output function, state format. */
    static String fingerprintOf(DlPlusHyperParameters p, RowLayout layout) {
        String out = p.sigmoidRange() ? "sigmoid:" + p.ratingScale().min() + ":" + p.ratingScale().max() : "linear";
        return ModelKind.DLPLUS.id() + ";dim=" + p.dim() + ";input=" + (p.product() ? "concat+product" : "concat")
                + ";hidden=" + p.hiddenText() + ";dense=adam;rows="
                + p.rowOptimizer().name().toLowerCase(Locale.ROOT) + ";row-width=" + layout.width() + ";output=" + out
                + ";format=" + FORMAT;
    }

    public DlPlusHyperParameters dlPlusHyperParameters() {
        return params;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.DLPLUS;
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

    @Override
    public RowLayout layout() {
        return layout;
    }

    @Override
    public void predict(MiniBatch batch, Rows users, Rows items) {
        gather(batch, users, items, false);
        writePredictions(batch);
    }

    @Override
    public ChangedRows learn(MiniBatch batch, Rows users, Rows items) {
        gather(batch, users, items, true);
        if (params.update() == UpdateMode.SEQUENTIAL) {
            return sequential(batch, users, items, false);
        }
        return update(batch, users, items);
    }

    @Override
    public ChangedRows process(MiniBatch batch, Rows users, Rows items) {
        gather(batch, users, items, true);
        if (params.update() == UpdateMode.SEQUENTIAL) {
            return sequential(batch, users, items, true);
        }
        writePredictions(batch);
        return update(batch, users, items);
    }

    @Override
    public float score(float[] userRow, float[] itemRow) {
        if (userRow != null) {
            layout.requireShape(userRow);
        }
        if (itemRow != null) {
            layout.requireShape(itemRow);
        }
        return scorer().score(userRow, itemRow, output());
    }

    /** Row terms x = b_u + b_i + z, unclamped and before the monotone output (as the scorer ranks them). */
    private static final RatingOutput RAW = new RatingOutput(0f, false, 0f, 0f, 0f, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY);
    private static final io.streamrec.model.dense.ColumnOps OPS = io.streamrec.model.dense.ColumnOps.best();

    /**
     * {@link DlPlusScorer#columnCatalogue} of these rows and the current weights; a cold user (no embedding to rank
     * with) is ranked by b_i, as {@link #score} predicts for it. Column-major, as the scorer's item matrix: the loops
     * run over items and vectorize, and the shares come from one pass over the catalogue instead of an array per item. The floats are {@link DlPlusScorer#scoreAll}'s. This is the trainer's
     * prequential ranking, once per sampled event over the whole catalogue: row by row it was 73 % of the DL+
     * trainer's CPU at 62 k items (a profile of the scale curve's DL+ run); SIMD loops where the JVM has the vector API.
     */
    @Override
    public CatalogueRanker catalogueRanker(float[][] itemRows, int count) {
        for (int k = 0; k < count; k++) {
            layout.requireShape(itemRows[k]);
        }
        DlPlusScorer.ColumnCatalogue items = scorer().columnCatalogue(itemRows, count, OPS);
        return (userRow, out) -> {
            if (userRow == null) {
                items.biases(out);
                return;
            }
            layout.requireShape(userRow);
            items.scoreAll(userRow, RAW, out);
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
    public Optional<DenseParameters> denseParameters() {
        return Optional.of(network.snapshot());
    }

    @Override
    public void restoreDense(DenseParameters dense) {
        Objects.requireNonNull(dense, "dense");
        network.restore(dense);
        scorer = null;
    }

    /** The output function at the current μ and rating range (what scorers build from the published global record). */
    public RatingOutput output() {
        return RatingOutput.of(stats.mean(), stats.count(), stats.minSeen(), stats.maxSeen(), params.sigmoidRange(),
                params.ratingScale().min(), params.ratingScale().max());
    }

    /** The output transform readers score with, as BiasedMf publishes it (the layout in {@code FactorRow}). */
    @Override
    public float[] globalOutputVector() {
        return new io.streamrec.common.model.RatingOutput(params.ratingScale(), params.sigmoidRange())
                .globalVector(stats.count(), stats.minSeen(), stats.maxSeen());
    }

    /** The plain-Java scorer over the current weights (rebuilt after every learning step, on first use). */
    public DlPlusScorer scorer() {
        if (scorer == null) {
            scorer = new DlPlusScorer(network.weights());
        }
        return scorer;
    }

    /** The dense network (tests and benchmarks). */
    DlPlusNetwork network() {
        return network;
    }

    /** Distinct users and items of the batch and their rows; cold ones are created only when learning. */
    private void gather(MiniBatch batch, Rows users, Rows items, boolean createMissing) {
        int n = batch.size();
        ensureEventCapacity(n);
        userIndex.clear();
        itemIndex.clear();
        long[] u = batch.usersColumn();
        long[] it = batch.itemsColumn();
        for (int e = 0; e < n; e++) {
            int a = userIndex.indexOf(u[e]);
            if (a == userIds.length) {
                growUsers();
            }
            userIds[a] = u[e];
            int b = itemIndex.indexOf(it[e]);
            if (b == itemIds.length) {
                growItems();
            }
            itemIds[b] = it[e];
            eventUser[e] = a;
            eventItem[e] = b;
        }
        fetch(users, FactorKind.USER, userIds, userRows, userCold, userIndex.size(), createMissing);
        fetch(items, FactorKind.ITEM, itemIds, itemRows, itemCold, itemIndex.size(), createMissing);
    }

    private void fetch(Rows rows, FactorKind kind, long[] ids, float[][] refs, boolean[] cold, int distinct, boolean create) {
        for (int k = 0; k < distinct; k++) {
            float[] row = rows.get(ids[k]);
            cold[k] = row == null;
            if (row == null) {
                row = create ? layout.newRow(kind, ids[k]) : null;
            } else {
                layout.requireShape(row);
            }
            refs[k] = row;
        }
    }

    private void writePredictions(MiniBatch batch) {
        DlPlusScorer s = scorer();
        RatingOutput out = output();
        for (int e = 0; e < batch.size(); e++) {
            boolean cu = userCold[eventUser[e]];
            boolean ci = itemCold[eventItem[e]];
            // A fresh row's embedding is seeded noise, not knowledge: cold events get μ + the known bias.
            float[] ur = cu ? null : userRows[eventUser[e]];
            float[] ir = ci ? null : itemRows[eventItem[e]];
            batch.setPrediction(e, s.score(ur, ir, out), cu || ci);
        }
    }

    /**
     * Event by event on the gathered rows: each event is predicted with the rows as every earlier event of the batch
     * left them and the weights as they stood before the batch, then its two rows step at once with the input
     * gradient of the plain-Java forward ({@link DlPlusScorer#rowTermsWithGradient}: no dropout, no DL4J call per
     * event). The network steps once per batch, on the inputs and offsets each event was predicted from, so its
     * step sees what the rows looked like when the event was scored. Sessions of one user inside a batch are then
     * no longer cold after their first event, which is what the whole-batch mode loses prequentially.
     */
    private ChangedRows sequential(MiniBatch batch, Rows users, Rows items, boolean predictFirst) {
        int n = batch.size();
        int d = params.dim();
        int in = params.inputWidth();
        boolean product = params.product();
        float[] r = batch.ratingsColumn();
        DlPlusScorer s = scorer();
        io.streamrec.common.model.RatingOutput shape =
                new io.streamrec.common.model.RatingOutput(params.ratingScale(), params.sigmoidRange());
        float l2b = params.l2Bias();
        float l2r = params.l2Rows();
        int w = layout.parameters();
        if (eventGradUser.length < d) {
            eventGradUser = new float[d];
            eventGradItem = new float[d];
            stepUser = new float[w];
            stepItem = new float[w];
        }
        for (int e = 0; e < n; e++) {
            int a = eventUser[e];
            int b = eventItem[e];
            float[] ur = userRows[a];
            float[] ir = itemRows[b];
            RatingOutput out = output();
            float x = s.rowTermsWithGradient(ur, ir, eventGradUser, eventGradItem);
            if (predictFirst) {
                boolean cu = userCold[a];
                boolean ci = itemCold[b];
                // A fresh row's embedding is seeded noise, not knowledge: cold events get μ + the known bias.
                float known = cu || ci ? (cu ? 0f : ur[0]) + (ci ? 0f : ir[0]) : x;
                batch.setPrediction(e, out.apply(known), cu || ci);
            }
            System.arraycopy(ur, 1, input, e * in, d);
            System.arraycopy(ir, 1, input, e * in + d, d);
            if (product) {
                for (int j = 0; j < d; j++) {
                    input[e * in + 2 * d + j] = ur[1 + j] * ir[1 + j];
                }
            }
            offsets[e] = out.offset() + ur[0] + ir[0];
            ratings[e] = r[e];
            float dx = shape.lossDerivative(stats.mean(), x, r[e]);
            stepUser[0] = dx + l2b * ur[0];
            stepItem[0] = dx + l2b * ir[0];
            for (int j = 0; j < d; j++) {
                stepUser[1 + j] = dx * eventGradUser[j] + l2r * ur[1 + j];
                stepItem[1 + j] = dx * eventGradItem[j] + l2r * ir[1 + j];
            }
            optimizer.apply(ur, stepUser, 0, 1);
            optimizer.apply(ir, stepItem, 0, 1);
            // From now on these rows exist: later events of the batch see them learned.
            userCold[a] = false;
            itemCold[b] = false;
            foldIntoMean(r[e]);
        }
        network.step(input, ratings, offsets, n);
        scorer = null;
        changed.clear();
        changed.putUsers(users, userIds, userRows, userIndex.size());
        changed.putItems(items, itemIds, itemRows, itemIndex.size());
        changed.setGlobal(stats.mean(), batch.maxTimestamp());
        return changed;
    }

    private ChangedRows update(MiniBatch batch, Rows users, Rows items) {
        int n = batch.size();
        int d = params.dim();
        int in = params.inputWidth();
        boolean product = params.product();
        float[] r = batch.ratingsColumn();
        float base = output().offset();
        for (int e = 0; e < n; e++) {
            float[] ur = userRows[eventUser[e]];
            float[] ir = itemRows[eventItem[e]];
            System.arraycopy(ur, 1, input, e * in, d);
            System.arraycopy(ir, 1, input, e * in + d, d);
            if (product) {
                for (int j = 0; j < d; j++) {
                    input[e * in + 2 * d + j] = ur[1 + j] * ir[1 + j];
                }
            }
            offsets[e] = base + ur[0] + ir[0];
            ratings[e] = r[e];
        }
        DlPlusNetwork.Gradients g = network.step(input, ratings, offsets, n);
        scorer = null;

        int w = layout.parameters();
        int nu = userIndex.size();
        int ni = itemIndex.size();
        Arrays.fill(userGrad, 0, nu * w, 0f);
        Arrays.fill(itemGrad, 0, ni * w, 0f);
        Arrays.fill(userEvents, 0, nu, 0);
        Arrays.fill(itemEvents, 0, ni, 0);
        float l2b = params.l2Bias();
        float l2r = params.l2Rows();
        float[] gi = g.input();
        for (int e = 0; e < n; e++) {
            int a = eventUser[e];
            int b = eventItem[e];
            float[] ur = userRows[a];
            float[] ir = itemRows[b];
            float dz = (float) g.dz()[e];
            // ∂loss/∂b = ∂loss/∂z: the biases enter the output beside z.
            userGrad[a * w] += dz + l2b * ur[0];
            itemGrad[b * w] += dz + l2b * ir[0];
            int uo = a * w + 1;
            int io = b * w + 1;
            int eo = e * in;
            for (int j = 0; j < d; j++) {
                // Chain rule through p ⊙ q: ∂/∂p_j gets g_prod_j · q_j, ∂/∂q_j gets g_prod_j · p_j.
                float gp = product ? gi[eo + 2 * d + j] : 0f;
                userGrad[uo + j] += gi[eo + j] + gp * ir[1 + j] + l2r * ur[1 + j];
                itemGrad[io + j] += gi[eo + d + j] + gp * ur[1 + j] + l2r * ir[1 + j];
            }
            userEvents[a]++;
            itemEvents[b]++;
        }
        changed.clear();
        for (int k = 0; k < nu; k++) {
            optimizer.apply(userRows[k], userGrad, k * w, userEvents[k]);
            users.put(userIds[k], userRows[k]);
            changed.addUser(userIds[k], userRows[k]);
        }
        for (int k = 0; k < ni; k++) {
            optimizer.apply(itemRows[k], itemGrad, k * w, itemEvents[k]);
            items.put(itemIds[k], itemRows[k]);
            changed.addItem(itemIds[k], itemRows[k]);
        }
        for (int e = 0; e < n; e++) {
            foldIntoMean(r[e]);
        }
        changed.setGlobal(stats.mean(), batch.maxTimestamp());
        return changed;
    }

    private void foldIntoMean(float rating) {
        stats.add(rating);
    }

    private void ensureEventCapacity(int n) {
        if (eventUser.length < n) {
            eventUser = new int[n];
            eventItem = new int[n];
            offsets = new float[n];
            ratings = new float[n];
        }
        if (input.length < n * params.inputWidth()) {
            input = new float[n * params.inputWidth()];
        }
        int w = layout.parameters();
        if (userGrad.length < n * w) {
            userGrad = new float[n * w];
            itemGrad = new float[n * w];
        }
    }

    private void growUsers() {
        int c = userIds.length * 2;
        userIds = Arrays.copyOf(userIds, c);
        userRows = Arrays.copyOf(userRows, c);
        userCold = Arrays.copyOf(userCold, c);
        userEvents = Arrays.copyOf(userEvents, c);
    }

    private void growItems() {
        int c = itemIds.length * 2;
        itemIds = Arrays.copyOf(itemIds, c);
        itemRows = Arrays.copyOf(itemRows, c);
        itemCold = Arrays.copyOf(itemCold, c);
        itemEvents = Arrays.copyOf(itemEvents, c);
    }

    @Override
    public String toString() {
        return "DlPlusModel{" + fingerprint + '}';
    }
}
