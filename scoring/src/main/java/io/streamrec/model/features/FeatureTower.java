package io.streamrec.model.features;

import io.streamrec.model.dense.DenseParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The hybrid family's feature embeddings: the dense tables that turn {@link ItemFeatures} and {@link UserFeatures}
 * into a vector of an id row's public width (bias + dim), and the per-event AdaGrad step that trains them. Forward
 * and backward live together because the text CNN's backward needs its forward's argmax positions; the trainer, the
 * offline evaluation and the scorer all call this one forward.
 *
 * <p>item(f) = mean over f's genres of G[g] + Y[year] + text(words); user(f) = Sex[g] + Age[a] + Occ[o], absent
 * fields contributing nothing. text: the mean of word rows W[w] (bag of words), or the CNN
 * {@code T · maxpool_t ReLU(conv_k(E[words]) + c_k)} over window sizes k (titles shorter than a window are
 * zero-padded to it). Tables are zero at start except the CNN's word embeddings and filters (seeded normal): a
 * model with untrained features then predicts exactly as DL+ with the same rows. Tensors are named
 * {@code hybrid.<table>} and their AdaGrad accumulators {@code optimizer.hybrid.<table>}, so they ride in the
 * model's {@link DenseParameters}: checkpointed, averaged across subtasks and published with the network.
 * Not thread-safe for training; a read-only instance (the scorer's) may be read from many threads.
 */
public final class FeatureTower {

    public static final String PREFIX = "hybrid.";
    private static final String STATE = DenseParameters.OPTIMIZER_STATE_PREFIX + PREFIX;
    private static final float ADAGRAD_EPSILON = 1e-8f;

    private final FeatureSpec spec;
    private final int width;
    private final List<Table> tables = new ArrayList<>();
    private final Table genre;
    private final Table year;
    private final Table gender;
    private final Table age;
    private final Table occupation;
    private final Table word;
    private final Table[] convW;
    private final Table[] convB;
    private final Table textW;

    /** One dense table: rows × cols floats, row-major, with its AdaGrad accumulator. */
    private static final class Table {
        final String name;
        final int rows;
        final int cols;
        final float[] v;
        final float[] acc;
        /** When set (gradient checks), steps add the raw loss gradient here instead of changing anything. */
        float[] sink;

        Table(String name, int rows, int cols) {
            this.name = name;
            this.rows = rows;
            this.cols = cols;
            this.v = new float[rows * cols];
            this.acc = new float[rows * cols];
        }

        /** AdaGrad on v[off .. off+n) with gradient g[goff ..] plus L2. */
        void step(int off, float[] g, int goff, int n, float lr, float l2) {
            step(off, g, goff, n, lr, lr, l2);
        }

        /** As {@link #step(int, float[], int, int, float, float)} with {@code lr0} for the row's first column (the bias). */
        void step(int off, float[] g, int goff, int n, float lr0, float lr, float l2) {
            if (sink != null) {
                for (int j = 0; j < n; j++) {
                    sink[off + j] += g[goff + j];
                }
                return;
            }
            for (int j = 0; j < n; j++) {
                float gj = g[goff + j] + l2 * v[off + j];
                if (gj == 0f) {
                    continue;
                }
                acc[off + j] += gj * gj;
                v[off + j] -= (j == 0 ? lr0 : lr) * gj / ((float) Math.sqrt(acc[off + j]) + ADAGRAD_EPSILON);
            }
        }
    }

    /** Fresh tables for a model whose id rows hold bias + {@code dim} embedding. */
    public FeatureTower(FeatureSpec spec, int dim, long seed) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        this.width = dim + 1;
        genre = add("genre", spec.genreBuckets(), width);
        year = add("year", FeatureSpec.YEAR_BUCKETS, width);
        gender = add("gender", FeatureSpec.GENDER_BUCKETS, width);
        age = add("age", FeatureSpec.AGE_BUCKETS, width);
        occupation = add("occupation", spec.occupationBuckets(), width);
        if (spec.text() == FeatureSpec.TextEncoder.BOW) {
            word = add("word", spec.wordBuckets(), width);
            convW = new Table[0];
            convB = new Table[0];
            textW = null;
        } else {
            SplittableRandom rnd = new SplittableRandom(seed ^ 0x7e57L);
            word = add("word", spec.wordBuckets(), spec.wordDim());
            fill(word, rnd, 0.1);
            int nk = spec.windows().size();
            convW = new Table[nk];
            convB = new Table[nk];
            for (int k = 0; k < nk; k++) {
                int win = spec.windows().get(k);
                convW[k] = add("conv" + win + ".W", win * spec.wordDim(), spec.filters());
                fill(convW[k], rnd, Math.sqrt(2.0 / (win * spec.wordDim())));
                convB[k] = add("conv" + win + ".b", 1, spec.filters());
            }
            textW = add("text.W", nk * spec.filters(), width);
        }
    }

    private Table add(String name, int rows, int cols) {
        Table t = new Table(PREFIX + name, rows, cols);
        tables.add(t);
        return t;
    }

    private static void fill(Table t, SplittableRandom rnd, double std) {
        for (int i = 0; i < t.v.length; i++) {
            t.v[i] = (float) (rnd.nextGaussian() * std);
        }
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** The width of a feature vector: an id row's bias + embedding. */
    public int width() {
        return width;
    }

    /** The item's feature vector into {@code out[0..width)} (bias at 0). */
    public void item(ItemFeatures f, float[] out) {
        Arrays.fill(out, 0, width, 0f);
        int[] g = f.genresView();
        if (g.length > 0) {
            float s = 1f / g.length;
            for (int b : g) {
                axpy(s, genre.v, b * width, out, 0, width);
            }
        }
        if (f.year() >= 0) {
            axpy(1f, year.v, f.year() * width, out, 0, width);
        }
        int[] w = f.wordsView();
        if (w.length > 0) {
            if (textW == null) {
                float s = 1f / w.length;
                for (int b : w) {
                    axpy(s, word.v, b * width, out, 0, width);
                }
            } else {
                Cnn c = cnnForward(w);
                for (int i = 0; i < c.pooled.length; i++) {
                    if (c.pooled[i] != 0f) {
                        axpy(c.pooled[i], textW.v, i * width, out, 0, width);
                    }
                }
            }
        }
    }

    /** The user's feature vector into {@code out[0..width)}. */
    public void user(UserFeatures f, float[] out) {
        Arrays.fill(out, 0, width, 0f);
        if (f.gender() >= 0) {
            axpy(1f, gender.v, f.gender() * width, out, 0, width);
        }
        if (f.age() >= 0) {
            axpy(1f, age.v, f.age() * width, out, 0, width);
        }
        if (f.occupation() >= 0) {
            axpy(1f, occupation.v, f.occupation() * width, out, 0, width);
        }
    }

    /**
     * One AdaGrad step of every table row {@link #item} read for {@code f}, given {@code grad[0..width)} =
     * ∂loss/∂(the item's feature vector), plus L2 {@code l2} on the rows touched.
     */
    public void stepItem(ItemFeatures f, float[] grad, float lr, float l2) {
        stepItem(f, grad, lr, lr, l2);
    }

    /** {@link #stepItem(ItemFeatures, float[], float, float)} with {@code biasLr} for the bias column of the tables. */
    public void stepItem(ItemFeatures f, float[] grad, float biasLr, float lr, float l2) {
        int[] g = f.genresView();
        if (g.length > 0) {
            float[] scaled = scaled(grad, 1f / g.length);
            for (int b : g) {
                genre.step(b * width, scaled, 0, width, biasLr, lr, l2);
            }
        }
        if (f.year() >= 0) {
            year.step(f.year() * width, grad, 0, width, biasLr, lr, l2);
        }
        int[] w = f.wordsView();
        if (w.length == 0) {
            return;
        }
        if (textW == null) {
            float[] scaled = scaled(grad, 1f / w.length);
            for (int b : w) {
                word.step(b * width, scaled, 0, width, biasLr, lr, l2);
            }
            return;
        }
        cnnBackward(w, grad, biasLr, lr, l2);
    }

    /** As {@link #stepItem} for the user tables. */
    public void stepUser(UserFeatures f, float[] grad, float lr, float l2) {
        stepUser(f, grad, lr, lr, l2);
    }

    /** {@link #stepUser(UserFeatures, float[], float, float)} with {@code biasLr} for the bias column. */
    public void stepUser(UserFeatures f, float[] grad, float biasLr, float lr, float l2) {
        if (f.gender() >= 0) {
            gender.step(f.gender() * width, grad, 0, width, biasLr, lr, l2);
        }
        if (f.age() >= 0) {
            age.step(f.age() * width, grad, 0, width, biasLr, lr, l2);
        }
        if (f.occupation() >= 0) {
            occupation.step(f.occupation() * width, grad, 0, width, biasLr, lr, l2);
        }
    }

    /** A CNN forward's intermediates: the pooled activations and, per pooled unit, the winning position. */
    private record Cnn(float[] pooled, int[] argmax, float[] padded, int positions) {
    }

    private Cnn cnnForward(int[] words) {
        int e = spec.wordDim();
        int nf = spec.filters();
        int longest = 0;
        for (int win : spec.windows()) {
            longest = Math.max(longest, win);
        }
        int len = Math.max(words.length, longest);
        float[] padded = new float[len * e];
        for (int t = 0; t < words.length; t++) {
            System.arraycopy(word.v, words[t] * e, padded, t * e, e);
        }
        int nk = convW.length;
        float[] pooled = new float[nk * nf];
        int[] argmax = new int[nk * nf];
        Arrays.fill(argmax, -1);
        float[] act = new float[nf];
        for (int k = 0; k < nk; k++) {
            int win = spec.windows().get(k);
            float[] cw = convW[k].v;
            for (int t = 0; t + win <= len; t++) {
                System.arraycopy(convB[k].v, 0, act, 0, nf);
                for (int i = 0; i < win * e; i++) {
                    float x = padded[t * e + i];
                    if (x != 0f) {
                        axpy(x, cw, i * nf, act, 0, nf);
                    }
                }
                for (int j = 0; j < nf; j++) {
                    // ReLU then max: a unit that is never positive pools to 0 with no winner (no gradient).
                    if (act[j] > pooled[k * nf + j]) {
                        pooled[k * nf + j] = act[j];
                        argmax[k * nf + j] = t;
                    }
                }
            }
        }
        return new Cnn(pooled, argmax, padded, len);
    }

    private void cnnBackward(int[] words, float[] grad, float biasLr, float lr, float l2) {
        int e = spec.wordDim();
        int nf = spec.filters();
        Cnn c = cnnForward(words);
        int nk = convW.length;
        // ∂loss/∂pooled = T · grad, taken before T steps.
        float[] gp = new float[nk * nf];
        for (int i = 0; i < gp.length; i++) {
            float s = 0f;
            for (int j = 0; j < width; j++) {
                s += textW.v[i * width + j] * grad[j];
            }
            gp[i] = s;
        }
        float[] gRow = new float[width];
        for (int i = 0; i < c.pooled.length; i++) {
            if (c.pooled[i] != 0f) {
                for (int j = 0; j < width; j++) {
                    gRow[j] = c.pooled[i] * grad[j];
                }
                textW.step(i * width, gRow, 0, width, biasLr, lr, l2);
            }
        }
        float[] gPadded = new float[c.positions * e];
        for (int k = 0; k < nk; k++) {
            int win = spec.windows().get(k);
            float[] cw = convW[k].v;
            float[] gW = new float[win * e * nf];
            float[] gB = new float[nf];
            boolean any = false;
            for (int j = 0; j < nf; j++) {
                int t = c.argmax[k * nf + j];
                float g = gp[k * nf + j];
                if (t < 0 || g == 0f) {
                    continue;
                }
                any = true;
                gB[j] += g;
                for (int i = 0; i < win * e; i++) {
                    gW[i * nf + j] += g * c.padded[t * e + i];
                    gPadded[t * e + i] += g * cw[i * nf + j];
                }
            }
            if (any) {
                convW[k].step(0, gW, 0, gW.length, lr, 0f);
                convB[k].step(0, gB, 0, nf, lr, 0f);
            }
        }
        for (int t = 0; t < words.length; t++) {
            word.step(words[t] * e, gPadded, t * e, e, lr, l2);
        }
    }

    /**
     * ∂(grad · item(f))/∂(every table), by table name, with nothing changed: what {@link #stepItem} steps along,
     * exposed for gradient checks.
     */
    Map<String, float[]> itemGradients(ItemFeatures f, float[] grad) {
        return gradients(() -> stepItem(f, grad, 1f, 0f));
    }

    /** As {@link #itemGradients} for the user tables. */
    Map<String, float[]> userGradients(UserFeatures f, float[] grad) {
        return gradients(() -> stepUser(f, grad, 1f, 0f));
    }

    private Map<String, float[]> gradients(Runnable step) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Table t : tables) {
            t.sink = new float[t.v.length];
            out.put(t.name, t.sink);
        }
        try {
            step.run();
        } finally {
            for (Table t : tables) {
                t.sink = null;
            }
        }
        return out;
    }

    /** The live values of a table (gradient checks perturb them). */
    float[] values(String name) {
        for (Table t : tables) {
            if (t.name.equals(name)) {
                return t.v;
            }
        }
        throw new IllegalArgumentException("no feature table " + name);
    }

    private static float[] scaled(float[] g, float s) {
        float[] out = new float[g.length];
        for (int j = 0; j < g.length; j++) {
            out[j] = g[j] * s;
        }
        return out;
    }

    private static void axpy(float a, float[] w, int off, float[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            out[outOff + j] += a * w[off + j];
        }
    }

    /** Every table as a tensor, with ({@code withState}) its AdaGrad accumulator. */
    public List<DenseParameters.Tensor> tensors(boolean withState) {
        List<DenseParameters.Tensor> out = new ArrayList<>();
        for (Table t : tables) {
            out.add(new DenseParameters.Tensor(t.name, new int[]{t.rows, t.cols}, t.v));
        }
        if (withState) {
            for (Table t : tables) {
                out.add(new DenseParameters.Tensor(STATE + t.name.substring(PREFIX.length()), new int[]{t.rows, t.cols}, t.acc));
            }
        }
        return out;
    }

    /**
     * Sets every table (and its accumulator, when {@code p} has it) from {@code p}.
     *
     * @throws IllegalArgumentException when a table is missing or has another shape
     */
    public void restore(DenseParameters p) {
        for (Table t : tables) {
            if (!p.has(t.name)) {
                throw new IllegalArgumentException("dense parameters '" + p.fingerprint() + "' lack the feature table " + t.name);
            }
            DenseParameters.Tensor x = p.tensor(t.name);
            if (!Arrays.equals(x.shape(), new int[]{t.rows, t.cols})) {
                throw new IllegalArgumentException("feature table " + x + " does not fit [" + t.rows + ", " + t.cols + "]");
            }
            System.arraycopy(x.values(), 0, t.v, 0, t.v.length);
            String state = STATE + t.name.substring(PREFIX.length());
            if (p.has(state)) {
                System.arraycopy(p.tensor(state).values(), 0, t.acc, 0, t.acc.length);
            }
        }
    }

    /** Tables built from published parameters (the scorer's read-only copy). */
    public static FeatureTower of(DenseParameters p, FeatureSpec spec, int dim) {
        FeatureTower t = new FeatureTower(spec, dim, 0);
        t.restore(p);
        return t;
    }
}
