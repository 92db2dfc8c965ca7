package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.MfKernel;
import io.streamrec.model.kernel.MfKernels;
import io.streamrec.model.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;

/**
 * Biased matrix factorization, r̂ = μ + b_u + b_i + p_u·q_i, optionally squashed into the rating range with a scaled
 * sigmoid around μ. With dimension 0 it is the biases-only baseline. Loss per event: ½(r̂ − r)² plus L2 on the
 * parameters the event touches.
 *
 * <p>One batch: gather the distinct users' and items' parameters into a {@link GatheredBatch}, run the kernel
 * (dots, then gradients summed per row), apply the optimizer once per touched row, scatter the rows back.
 * (About 400 lines: the sequential and batch update paths share the gather and the row bookkeeping, and splitting
 * them would put the hot loop's state in two places.)
 */
public final class BiasedMf implements OnlineModel {

    private static final Logger LOG = LoggerFactory.getLogger(BiasedMf.class);

    private final ModelKind kind;
    private final MfHyperParameters params;
    private final RowLayout layout;
    private final Optimizer optimizer;
    private final MfKernel kernel;
    private final GatheredBatch gathered;
    private final LongIndex userIndex;
    private final LongIndex itemIndex;
    private final ChangedRows changed = new ChangedRows();
    /** The output arithmetic (sigmoid squash, clamping), shared with the scorer so it serves exactly these predictions. */
    private final RatingOutput ratingOutput;

    private float[][] userRows = new float[16][];
    private boolean[] userCold = new boolean[16];
    private long[] userIds = new long[16];
    private float[][] itemRows = new float[16][];
    private boolean[] itemCold = new boolean[16];
    private long[] itemIds = new long[16];
    private float[] dots = new float[16];
    private float[] dLoss = new float[16];
    // Per-event indices into the batch's distinct users/items, and per-distinct-row event counts.
    private int[] scratchUserIdx = new int[16];
    private int[] scratchItemIdx = new int[16];
    private int[] userEvents = new int[16];
    private int[] itemEvents = new int[16];
    private final float[] gradU;
    private final float[] gradI;

    private final RunningGlobalStats stats;

    public BiasedMf(MfHyperParameters params) {
        this(params.dim() == 0 ? ModelKind.BASELINE : ModelKind.MF, params);
    }

    BiasedMf(ModelKind kind, MfHyperParameters params) {
        this.params = Objects.requireNonNull(params, "params");
        if (kind != ModelKind.MF && kind != ModelKind.BASELINE) {
            throw new IllegalArgumentException("BiasedMf implements MF and BASELINE, not " + kind);
        }
        if (kind == ModelKind.BASELINE && params.dim() != 0) {
            throw new IllegalArgumentException("the biases-only baseline needs dim 0, got " + params.dim());
        }
        this.kind = kind;
        this.layout = RowLayout.of(params);
        this.optimizer = Optimizer.of(layout, params);
        this.kernel = MfKernels.create(params.kernel());
        this.gathered = new GatheredBatch(layout.parameters());
        this.gradU = new float[layout.parameters()];
        this.gradI = new float[layout.parameters()];
        this.userIndex = new LongIndex(params.batchSize());
        this.itemIndex = new LongIndex(params.batchSize());
        this.ratingOutput = new RatingOutput(params.ratingScale(), params.sigmoidRange());
        this.stats = new RunningGlobalStats(GlobalStats.empty(params.ratingScale()).mean());
        LOG.debug("created {} with {} ({} kernel)", kind, layout, kernel.kind());
    }

    @Override
    public ModelKind kind() {
        return kind;
    }

    @Override
    public MfHyperParameters hyperParameters() {
        return params;
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
        if (params.update() == UpdateMode.SEQUENTIAL) {
            gatherRows(batch, users, items);
            return sequential(batch, users, items, false);
        }
        gather(batch, users, items, true);
        return update(batch, users, items);
    }

    @Override
    public ChangedRows process(MiniBatch batch, Rows users, Rows items) {
        if (params.update() == UpdateMode.SEQUENTIAL) {
            gatherRows(batch, users, items);
            return sequential(batch, users, items, true);
        }
        gather(batch, users, items, true);
        writePredictions(batch);
        return update(batch, users, items);
    }

    @Override
    public float score(float[] userRow, float[] itemRow) {
        float bu = 0f;
        float bi = 0f;
        float dot = 0f;
        if (userRow != null) {
            layout.requireShape(userRow);
            bu = userRow[0];
        }
        if (itemRow != null) {
            layout.requireShape(itemRow);
            bi = itemRow[0];
        }
        if (userRow != null && itemRow != null) {
            for (int j = 1; j <= layout.dim(); j++) {
                dot += userRow[j] * itemRow[j];
            }
        }
        return clamp(output(bu + bi + dot));
    }

    /** Row terms b_u + b_i + p·q (the output transform is monotone); a cold user is ranked by b_i alone. */
    @Override
    public CatalogueRanker catalogueRanker(float[][] itemRows, int count) {
        int dim = layout.dim();
        for (int k = 0; k < count; k++) {
            layout.requireShape(itemRows[k]);
        }
        return (userRow, out) -> {
            if (userRow == null) {
                for (int k = 0; k < count; k++) {
                    out[k] = itemRows[k][0];
                }
                return;
            }
            layout.requireShape(userRow);
            float bu = userRow[0];
            for (int k = 0; k < count; k++) {
                float[] it = itemRows[k];
                float dot = 0f;
                for (int j = 1; j <= dim; j++) {
                    dot += userRow[j] * it[j];
                }
                out[k] = bu + it[0] + dot;
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

    /** Reads the distinct rows of the batch into the packed working set and computes the dots. */
    private void gather(MiniBatch batch, Rows users, Rows items, boolean createMissing) {
        indexDistinct(batch);
        int n = batch.size();
        int nu = userIndex.size();
        int ni = itemIndex.size();
        gathered.reset(n, nu, ni);
        System.arraycopy(scratchUserIdx, 0, gathered.userIndex(), 0, n);
        System.arraycopy(scratchItemIdx, 0, gathered.itemIndex(), 0, n);
        int w = layout.parameters();
        fetch(users, FactorKind.USER, userIds, userRows, userCold, nu, gathered.userParams(), w, createMissing);
        fetch(items, FactorKind.ITEM, itemIds, itemRows, itemCold, ni, gathered.itemParams(), w, createMissing);
        kernel.dots(gathered, dots);
    }

    /** Reads the distinct rows of the batch (creating seeded rows for new ids) without packing them. */
    private void gatherRows(MiniBatch batch, Rows users, Rows items) {
        indexDistinct(batch);
        fetch(users, FactorKind.USER, userIds, userRows, userCold, userIndex.size(), null, 0, true);
        fetch(items, FactorKind.ITEM, itemIds, itemRows, itemCold, itemIndex.size(), null, 0, true);
    }

    /** Assigns each event's user and item a dense index among the batch's distinct ids. */
    private void indexDistinct(MiniBatch batch) {
        int n = batch.size();
        long[] u = batch.usersColumn();
        long[] it = batch.itemsColumn();
        userIndex.clear();
        itemIndex.clear();
        ensureEventCapacity(n);
        int[] ui = ensureIndexCapacity(n);
        // First pass: distinct ids and per-event indices (GatheredBatch.reset needs the distinct counts).
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
            ui[e] = a;
            scratchItemIdx[e] = b;
        }
    }

    private void fetch(Rows rows, FactorKind kind, long[] ids, float[][] refs, boolean[] cold, int count,
                       float[] packed, int w, boolean createMissing) {
        for (int k = 0; k < count; k++) {
            float[] row = rows.get(ids[k]);
            cold[k] = row == null;
            if (row == null) {
                if (createMissing) {
                    row = layout.newRow(kind, ids[k]);
                } else {
                    Arrays.fill(packed, k * w, (k + 1) * w, 0f);
                    refs[k] = null;
                    continue;
                }
            } else {
                layout.requireShape(row);
            }
            refs[k] = row;
            if (packed != null) {
                System.arraycopy(row, 0, packed, k * w, w);
            }
        }
    }

    /**
     * Event by event on the gathered rows themselves: predict with the rows as every earlier event left them (an
     * event is cold when its user or item had no row before it), then one optimizer step per row, then μ.
     */
    private ChangedRows sequential(MiniBatch batch, Rows users, Rows items, boolean predictFirst) {
        int n = batch.size();
        int dim = layout.dim();
        int[] ui = scratchUserIdx;
        int[] ii = scratchItemIdx;
        float[] r = batch.ratingsColumn();
        float l2b = params.l2Bias();
        float l2f = params.l2Factors();
        for (int e = 0; e < n; e++) {
            float[] u = userRows[ui[e]];
            float[] it = itemRows[ii[e]];
            float dot = 0f;
            for (int j = 1; j <= dim; j++) {
                dot += u[j] * it[j];
            }
            if (predictFirst) {
                boolean cu = userCold[ui[e]];
                boolean ci = itemCold[ii[e]];
                float x = (cu ? 0f : u[0]) + (ci ? 0f : it[0]) + (cu || ci ? 0f : dot);
                batch.setPrediction(e, clamp(output(x)), cu || ci);
            }
            float d = lossDerivative(u[0] + it[0] + dot, r[e]);
            optimizer.applyEvent(u, it, d, l2b, l2f, gradU, gradI);
            // From now on these rows exist: later events of the batch see them learned.
            userCold[ui[e]] = false;
            itemCold[ii[e]] = false;
            foldIntoMean(r[e]);
        }
        changed.clear();
        changed.putUsers(users, userIds, userRows, userIndex.size());
        changed.putItems(items, itemIds, itemRows, itemIndex.size());
        changed.setGlobal(stats.mean(), batch.maxTimestamp());
        return changed;
    }

    private void writePredictions(MiniBatch batch) {
        int n = batch.size();
        int w = layout.parameters();
        int[] ui = gathered.userIndex();
        int[] ii = gathered.itemIndex();
        float[] up = gathered.userParams();
        float[] ip = gathered.itemParams();
        for (int e = 0; e < n; e++) {
            boolean cu = userCold[ui[e]];
            boolean ci = itemCold[ii[e]];
            // A cold row's bias is 0 (fresh rows start there) and its random vector carries no knowledge: drop the dot.
            float bu = cu ? 0f : up[ui[e] * w];
            float bi = ci ? 0f : ip[ii[e] * w];
            float dot = cu || ci ? 0f : dots[e];
            batch.setPrediction(e, clamp(output(bu + bi + dot)), cu || ci);
        }
    }

    private ChangedRows update(MiniBatch batch, Rows users, Rows items) {
        int n = batch.size();
        int w = layout.parameters();
        int[] ui = gathered.userIndex();
        int[] ii = gathered.itemIndex();
        float[] up = gathered.userParams();
        float[] ip = gathered.itemParams();
        float[] r = batch.ratingsColumn();
        for (int e = 0; e < n; e++) {
            float x = up[ui[e] * w] + ip[ii[e] * w] + dots[e];
            dLoss[e] = lossDerivative(x, r[e]);
        }
        kernel.backward(gathered, dLoss, params.l2Bias(), params.l2Factors());

        changed.clear();
        float[] ug = gathered.userGrad();
        float[] ig = gathered.itemGrad();
        countEvents(ui, ii, n);
        for (int k = 0; k < gathered.users(); k++) {
            float[] row = userRows[k];
            optimizer.apply(row, ug, k * w, userEvents[k]);
            users.put(userIds[k], row);
            changed.addUser(userIds[k], row);
        }
        for (int k = 0; k < gathered.items(); k++) {
            float[] row = itemRows[k];
            optimizer.apply(row, ig, k * w, itemEvents[k]);
            items.put(itemIds[k], row);
            changed.addItem(itemIds[k], row);
        }
        for (int e = 0; e < n; e++) {
            foldIntoMean(r[e]);
        }
        changed.setGlobal(stats.mean(), batch.maxTimestamp());
        return changed;
    }

    /** r̂ before clamping, from the row terms x = b_u + b_i + p·q. */
    private float output(float x) {
        return ratingOutput.output(stats.mean(), x);
    }

    /** ∂(½(r̂ − r)²)/∂x. */
    private float lossDerivative(float x, float rating) {
        return ratingOutput.lossDerivative(stats.mean(), x, rating);
    }

    /** Predictions stay inside the configured scale and inside the range of ratings seen so far. */
    private float clamp(float v) {
        return RatingOutput.clamp(v, ratingOutput.clampMin(stats.count(), stats.minSeen()), ratingOutput.clampMax(stats.count(), stats.maxSeen()));
    }

    /** The output transform with the current clamp bounds, as the GLOBAL factor record publishes it. */
    @Override
    public float[] globalOutputVector() {
        return ratingOutput.globalVector(stats.count(), stats.minSeen(), stats.maxSeen());
    }

    private void foldIntoMean(float rating) {
        stats.add(rating);
    }

    private void countEvents(int[] ui, int[] ii, int n) {
        if (userEvents.length < gathered.users()) {
            userEvents = new int[userIds.length];
        }
        if (itemEvents.length < gathered.items()) {
            itemEvents = new int[itemIds.length];
        }
        Arrays.fill(userEvents, 0, gathered.users(), 0);
        Arrays.fill(itemEvents, 0, gathered.items(), 0);
        for (int e = 0; e < n; e++) {
            userEvents[ui[e]]++;
            itemEvents[ii[e]]++;
        }
    }

    private int[] ensureIndexCapacity(int n) {
        if (scratchUserIdx.length < n) {
            scratchUserIdx = new int[n];
            scratchItemIdx = new int[n];
        }
        return scratchUserIdx;
    }

    private void ensureEventCapacity(int n) {
        if (dots.length < n) {
            dots = new float[n];
            dLoss = new float[n];
        }
    }

    private void growUsers() {
        int c = userIds.length * 2;
        userIds = Arrays.copyOf(userIds, c);
        userRows = Arrays.copyOf(userRows, c);
        userCold = Arrays.copyOf(userCold, c);
    }

    private void growItems() {
        int c = itemIds.length * 2;
        itemIds = Arrays.copyOf(itemIds, c);
        itemRows = Arrays.copyOf(itemRows, c);
        itemCold = Arrays.copyOf(itemCold, c);
    }

    @Override
    public String toString() {
        return "BiasedMf{" + kind + ", " + layout + ", kernel=" + kernel.kind() + '}';
    }
}
