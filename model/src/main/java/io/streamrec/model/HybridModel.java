package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.RatingOutput;
import io.streamrec.model.features.FeatureCatalog;
import io.streamrec.model.features.FeatureEncoder;
import io.streamrec.model.features.FeatureTower;
import io.streamrec.model.features.HybridScorer;
import io.streamrec.model.features.ItemFeatures;
import io.streamrec.model.features.UserFeatures;
import io.streamrec.model.nn.DlPlusNetwork;
import io.streamrec.model.optim.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * DL+ with side features: r̂ = out(b̃_u + b̃_i + MLP([p̃_u, q̃_i, p̃_u ⊙ q̃_i])) where every tilde is an id row's
 * bias/embedding plus the {@link FeatureTower} vector of the id's features (genres, release year, title words;
 * gender, age, occupation), so an item or user with features but no row yet has a vector of its own: its features
 * alone (cold start). The id rows are DL+'s rows ({@link RowLayout}, per-row optimizer); the feature tables and the
 * network are the dense parameters. Scoring is {@link HybridScorer}'s (the scorer's too).
 *
 * <p>Features come from the {@link FeatureCatalog} this model owns and its caller fills ({@link #features}):
 * evaluate loads a dataset's metadata files into it, the trainer its metadata streams. An event whose item or user
 * has no features is learned as DL+ would learn it.
 *
 * <p>Learning is DL+'s {@code sequential} mode only: event by event, both rows and the feature rows the event reads
 * step at once with the gradient of the plain-Java forward at the effective vectors (the feature tables with their
 * own AdaGrad), and the network steps once per batch on the effective inputs. Prediction, as in DL+, uses only what
 * existed before the event: a side without a row counts as its features-only vector when it has features, else as
 * unknown (μ plus the other side's bias). Over 300 lines for the same reason as {@link DlPlusModel}: the batch's
 * gather/scatter bookkeeping stays in one place.
 */
public final class HybridModel implements OnlineModel {

    /** Version of the hybrid state layout (rows and tensors); part of the fingerprint. */
    public static final int FORMAT = 1;

    private final HybridHyperParameters params;
    private final DlPlusHyperParameters dl;
    private final MfHyperParameters rowParams;
    private final RowLayout layout;
    private final Optimizer optimizer;
    private final DlPlusNetwork network;
    private final FeatureTower tower;
    private final FeatureCatalog catalog;
    private final String fingerprint;
    private final LongIndex userIndex;
    private final LongIndex itemIndex;
    private final ChangedRows changed = new ChangedRows();
    private final RunningGlobalStats stats;
    private DlPlusScorer netScorer;
    private long eventsWithoutItemFeatures;
    private long eventsWithoutUserFeatures;

    private float[][] userRows = new float[16][];
    private boolean[] userCold = new boolean[16];
    private long[] userIds = new long[16];
    private float[][] itemRows = new float[16][];
    private boolean[] itemCold = new boolean[16];
    private long[] itemIds = new long[16];
    private int[] eventUser = new int[16];
    private int[] eventItem = new int[16];
    private float[] input = new float[0];
    private float[] offsets = new float[16];
    private float[] ratings = new float[16];

    public HybridModel(HybridHyperParameters params) {
        this(params, DataType.FLOAT);
    }

    /** {@code dataType} DOUBLE only for gradient checks: scoring stays float either way. */
    HybridModel(HybridHyperParameters params, DataType dataType) {
        this.params = Objects.requireNonNull(params, "params");
        this.dl = params.dlplus();
        this.rowParams = dl.rowHyperParameters();
        this.layout = RowLayout.of(rowParams);
        this.optimizer = Optimizer.of(layout, rowParams);
        this.fingerprint = fingerprintOf(params, layout);
        RatingOutput shape = RatingOutput.of(0, 0, 0, 0, dl.sigmoidRange(), dl.ratingScale().min(), dl.ratingScale().max());
        this.network = new DlPlusNetwork(new DlPlusNetwork.Spec(dl.dim(), dl.product(), dl.hidden(), dl.dropout(),
                dl.denseLearningRate(), dl.l2Weights(), dl.seed(), dl.sigmoidRange(), shape.squashLo(),
                shape.squashSpan(), dataType), fingerprint);
        this.tower = new FeatureTower(params.features(), dl.dim(), dl.seed());
        this.catalog = new FeatureCatalog(new FeatureEncoder(params.features()));
        this.userIndex = new LongIndex(dl.batchSize());
        this.itemIndex = new LongIndex(dl.batchSize());
        this.stats = new RunningGlobalStats(GlobalStats.empty(dl.ratingScale()).mean());
    }

    /** DL+'s identity with the family, the feature spec (buckets, hash, text encoder) and this format. */
    static String fingerprintOf(HybridHyperParameters p, RowLayout layout) {
        String d = DlPlusModel.fingerprintOf(p.dlplus(), layout);
        String rest = d.substring(d.indexOf(';') + 1).replaceAll(";format=\\d+$", "");
        return ModelKind.HYBRID.id() + ";" + rest + ";" + p.features().describe() + ";format=" + FORMAT;
    }

    public HybridHyperParameters hybridHyperParameters() {
        return params;
    }

    /** The features this model looks ids up in: fill it before (and while) it learns. */
    public FeatureCatalog features() {
        return catalog;
    }

    /** Events learned whose item had no features, and whose user had none (a trainer reports them). */
    public long eventsWithoutItemFeatures() {
        return eventsWithoutItemFeatures;
    }

    public long eventsWithoutUserFeatures() {
        return eventsWithoutUserFeatures;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.HYBRID;
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
        HybridScorer s = scorer();
        RatingOutput out = output();
        for (int e = 0; e < batch.size(); e++) {
            boolean cu = userCold[eventUser[e]];
            boolean ci = itemCold[eventItem[e]];
            float[] uv = s.userVector(cu ? null : userRows[eventUser[e]], catalog.user(batch.user(e)));
            float[] iv = s.itemVector(ci ? null : itemRows[eventItem[e]], catalog.item(batch.item(e)));
            batch.setPrediction(e, s.score(uv, iv, out), cu || ci);
        }
    }

    @Override
    public ChangedRows learn(MiniBatch batch, Rows users, Rows items) {
        gather(batch, users, items, true);
        return sequential(batch, users, items, false);
    }

    @Override
    public ChangedRows process(MiniBatch batch, Rows users, Rows items) {
        gather(batch, users, items, true);
        return sequential(batch, users, items, true);
    }

    /** From id rows alone (no ids, so no features): as DL+ scores them. Prefer {@link #score(long, float[], long, float[])}. */
    @Override
    public float score(float[] userRow, float[] itemRow) {
        return scorer().score(userRow, null, itemRow, null, output());
    }

    /** The rating for (user, item) from their rows as stored (either may be null) and their features. */
    public float score(long user, float[] userRow, long item, float[] itemRow) {
        return scorer().score(userRow, catalog.user(user), itemRow, catalog.item(item), output());
    }

    private static final RatingOutput RAW = new RatingOutput(0f, false, 0f, 0f, 0f, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY);
    private static final io.streamrec.model.dense.ColumnOps OPS = io.streamrec.model.dense.ColumnOps.best();

    @Override
    public CatalogueRanker catalogueRanker(float[][] itemRows, int count) {
        return catalogueRanker(null, itemRows, count);
    }

    /**
     * Items ranked by their effective vectors ({@link DlPlusScorer#columnCatalogue}, as DL+); a user by row + features,
     * features alone, or (neither) by b̃_i.
     */
    @Override
    public CatalogueRanker catalogueRanker(long[] itemIds, float[][] rows, int count) {
        HybridScorer s = scorer();
        float[][] vectors = new float[count][];
        for (int k = 0; k < count; k++) {
            layout.requireShape(rows[k]);
            vectors[k] = s.itemVector(rows[k], itemIds == null ? null : catalog.item(itemIds[k]));
        }
        DlPlusScorer.ColumnCatalogue items = s.network().columnCatalogue(vectors, count, OPS);
        return new CatalogueRanker() {
            @Override
            public void score(float[] userRow, float[] out) {
                rank(userRow == null ? null : Arrays.copyOf(userRow, tower.width()), out);
            }

            @Override
            public void score(long user, float[] userRow, float[] out) {
                rank(s.userVector(userRow, catalog.user(user)), out);
            }

            private void rank(float[] uv, float[] out) {
                if (uv == null) {
                    items.biases(out);
                    return;
                }
                items.scoreAll(uv, RAW, out);
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

    /** The network (weights, Adam state) and the feature tables (values, AdaGrad state), under one fingerprint. */
    @Override
    public Optional<DenseParameters> denseParameters() {
        DenseParameters net = network.snapshot();
        List<DenseParameters.Tensor> all = new ArrayList<>(net.tensors());
        all.addAll(tower.tensors(true));
        return Optional.of(new DenseParameters(fingerprint, net.steps(), all));
    }

    @Override
    public void restoreDense(DenseParameters dense) {
        Objects.requireNonNull(dense, "dense");
        network.restore(dense);
        tower.restore(dense);
        netScorer = null;
    }

    public RatingOutput output() {
        return RatingOutput.of(stats.mean(), stats.count(), stats.minSeen(), stats.maxSeen(), dl.sigmoidRange(),
                dl.ratingScale().min(), dl.ratingScale().max());
    }

    @Override
    public float[] globalOutputVector() {
        return new io.streamrec.common.model.RatingOutput(dl.ratingScale(), dl.sigmoidRange())
                .globalVector(stats.count(), stats.minSeen(), stats.maxSeen());
    }

    /** Scoring over the current network weights and the live feature tables. */
    public HybridScorer scorer() {
        if (netScorer == null) {
            netScorer = new DlPlusScorer(network.weights());
        }
        return new HybridScorer(netScorer, tower);
    }

    DlPlusNetwork network() {
        return network;
    }

    FeatureTower tower() {
        return tower;
    }

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
                userIds = Arrays.copyOf(userIds, a * 2);
                userRows = Arrays.copyOf(userRows, a * 2);
                userCold = Arrays.copyOf(userCold, a * 2);
            }
            userIds[a] = u[e];
            int b = itemIndex.indexOf(it[e]);
            if (b == itemIds.length) {
                itemIds = Arrays.copyOf(itemIds, b * 2);
                itemRows = Arrays.copyOf(itemRows, b * 2);
                itemCold = Arrays.copyOf(itemCold, b * 2);
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

    /**
     * DL+'s sequential step over effective vectors. Per event: the effective vectors from the rows as earlier
     * events of the batch left them and the feature tables likewise; the prediction (when asked) from what existed
     * before the event; then ∂loss/∂x and the forward's input gradient step the two id rows (with DL+'s L2) and the
     * feature rows the event read (with theirs), so ∂loss/∂(feature vector) = ∂loss/∂(effective vector).
     */
    private ChangedRows sequential(MiniBatch batch, Rows users, Rows items, boolean predictFirst) {
        int n = batch.size();
        int d = dl.dim();
        int width = d + 1;
        int in = dl.inputWidth();
        boolean product = dl.product();
        float[] r = batch.ratingsColumn();
        HybridScorer s = scorer();
        DlPlusScorer net = s.network();
        io.streamrec.common.model.RatingOutput shape =
                new io.streamrec.common.model.RatingOutput(dl.ratingScale(), dl.sigmoidRange());
        float l2b = dl.l2Bias();
        float l2r = dl.l2Rows();
        float flr = params.featureLearningRate();
        float l2f = params.l2Features();
        float fblr = params.featureBiasLearningRate();
        int w = layout.parameters();
        float[] gU = new float[d];
        float[] gI = new float[d];
        float[] stepUser = new float[w];
        float[] stepItem = new float[w];
        float[] gradF = new float[width];
        float[] uv = new float[width];
        float[] iv = new float[width];
        float[] fu = new float[width];
        float[] fi = new float[width];
        for (int e = 0; e < n; e++) {
            int a = eventUser[e];
            int b = eventItem[e];
            float[] ur = userRows[a];
            float[] ir = itemRows[b];
            UserFeatures uf = catalog.user(batch.user(e));
            ItemFeatures itf = catalog.item(batch.item(e));
            boolean hasU = uf != null && !uf.isEmpty();
            boolean hasI = itf != null && !itf.isEmpty();
            if (hasU) {
                tower.user(uf, fu);
            } else {
                Arrays.fill(fu, 0f);
                eventsWithoutUserFeatures++;
            }
            if (hasI) {
                tower.item(itf, fi);
            } else {
                Arrays.fill(fi, 0f);
                eventsWithoutItemFeatures++;
            }
            for (int j = 0; j < width; j++) {
                uv[j] = ur[j] + fu[j];
                iv[j] = ir[j] + fi[j];
            }
            RatingOutput out = output();
            float x = net.rowTermsWithGradient(uv, iv, gU, gI);
            if (predictFirst) {
                boolean cu = userCold[a];
                boolean ci = itemCold[b];
                float known;
                if (!cu && !ci) {
                    known = x;
                } else {
                    // A fresh row is seeded noise, not knowledge: a side without a row counts by its features.
                    float[] pu = cu ? (hasU ? fu : null) : uv;
                    float[] pi = ci ? (hasI ? fi : null) : iv;
                    known = pu != null && pi != null ? net.rowTerms(pu, pi)
                            : (pu == null ? 0f : pu[0]) + (pi == null ? 0f : pi[0]);
                }
                batch.setPrediction(e, out.apply(known), cu || ci);
            }
            System.arraycopy(uv, 1, input, e * in, d);
            System.arraycopy(iv, 1, input, e * in + d, d);
            if (product) {
                for (int j = 0; j < d; j++) {
                    input[e * in + 2 * d + j] = uv[1 + j] * iv[1 + j];
                }
            }
            offsets[e] = out.offset() + uv[0] + iv[0];
            ratings[e] = r[e];
            float dx = shape.lossDerivative(stats.mean(), x, r[e]);
            stepUser[0] = dx + l2b * ur[0];
            stepItem[0] = dx + l2b * ir[0];
            for (int j = 0; j < d; j++) {
                stepUser[1 + j] = dx * gU[j] + l2r * ur[1 + j];
                stepItem[1 + j] = dx * gI[j] + l2r * ir[1 + j];
            }
            if (hasU) {
                gradF[0] = dx;
                for (int j = 0; j < d; j++) {
                    gradF[1 + j] = dx * gU[j];
                }
                tower.stepUser(uf, gradF, fblr, flr, l2f);
            }
            if (hasI) {
                gradF[0] = dx;
                for (int j = 0; j < d; j++) {
                    gradF[1 + j] = dx * gI[j];
                }
                tower.stepItem(itf, gradF, fblr, flr, l2f);
            }
            optimizer.apply(ur, stepUser, 0, 1);
            optimizer.apply(ir, stepItem, 0, 1);
            userCold[a] = false;
            itemCold[b] = false;
            stats.add(r[e]);
        }
        network.step(input, ratings, offsets, n);
        netScorer = null;
        changed.clear();
        changed.putUsers(users, userIds, userRows, userIndex.size());
        changed.putItems(items, itemIds, itemRows, itemIndex.size());
        changed.setGlobal(stats.mean(), batch.maxTimestamp());
        return changed;
    }

    private void ensureEventCapacity(int n) {
        if (eventUser.length < n) {
            eventUser = new int[n];
            eventItem = new int[n];
            offsets = new float[n];
            ratings = new float[n];
        }
        if (input.length < n * dl.inputWidth()) {
            input = new float[n * dl.inputWidth()];
        }
    }

    @Override
    public String toString() {
        return "HybridModel{" + fingerprint + '}';
    }
}
