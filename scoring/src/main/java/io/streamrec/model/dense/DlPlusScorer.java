package io.streamrec.model.dense;

import java.util.ArrayList;
import java.util.List;

/**
 * DL+'s one implementation of scoring: r̂ = out(b_u + b_i + MLP([p_u, q_i])) with ReLU hidden layers and a linear
 * output unit, computed in plain Java from {@link DenseParameters} (no ND4J: the scorer depends on this without a
 * native backend, and the trainer's predictions use it too, so both agree by construction).
 *
 * <p>Rows follow {@code RowLayout}: bias at 0, embedding at 1..dim. Tensors: {@code dense<k>.W} [nIn, nOut] and
 * {@code dense<k>.b} [nOut] per hidden layer k, then {@code out.W} [last, 1] and {@code out.b} [1].
 *
 * <p>Whole-catalogue scoring uses the split of the first layer: W1·[p; q] = W1_user·p + W1_item·q, so a user's
 * share is computed once, each item's share ({@link #itemShare}) is precomputed and refreshed when the item's row or
 * the weights change, and per item only ReLU(userShare + itemShare) and the remaining small layers are left
 * ({@link #scoreAll}). With the product input ({@code dense0.Wx} [dim, h1], the weights of p ⊙ q) an item's share
 * also carries its embedding, and per user the product weights scaled by p_u are prepared once, so the product term
 * costs dim × h1 per item. Immutable and thread-safe: scratch buffers are per call.
 */
public final class DlPlusScorer {

    public static final String OUT = "out";
    /** First-layer weights of the p ⊙ q input part [dim, h1], present when the model feeds the product. */
    public static final String PRODUCT_WEIGHTS = "dense0.Wx";

    private final String fingerprint;
    private final int dim;
    private final int layers;
    private final int[] nIn;
    private final int[] nOut;
    private final float[][] w;
    private final float[][] b;
    private final int widest;
    private final float[] wx;
    // First-layer weights transposed to [h1][dim] (user part, item part, product part): the input gradient is then a
    // sum of axpy rows the JIT vectorizes, instead of per-component dot products it does not.
    private final float[] w0UserT;
    private final float[] w0ItemT;
    private final float[] wxT;

    public DlPlusScorer(DenseParameters params) {
        this.fingerprint = params.fingerprint();
        List<String> names = new ArrayList<>();
        for (int k = 0; params.has(weightName(k)); k++) {
            names.add("dense" + k);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("dense parameters '" + params.fingerprint() + "' hold no DL+ network (no "
                    + weightName(0) + ")");
        }
        names.add(OUT);
        this.layers = names.size();
        this.nIn = new int[layers];
        this.nOut = new int[layers];
        this.w = new float[layers][];
        this.b = new float[layers][];
        int wide = 0;
        for (int k = 0; k < layers; k++) {
            DenseParameters.Tensor wt = params.tensor(names.get(k) + ".W");
            DenseParameters.Tensor bt = params.tensor(names.get(k) + ".b");
            int[] s = wt.shapeView();
            if (s.length != 2 || bt.size() != s[1] || (k > 0 && s[0] != nOut[k - 1])) {
                throw new IllegalArgumentException("dense parameters '" + params.fingerprint() + "': layer " + names.get(k)
                        + " has shape " + wt + " / " + bt + ", which does not chain with the layer before");
            }
            nIn[k] = s[0];
            nOut[k] = s[1];
            w[k] = withoutSubnormals(wt.valuesView());
            b[k] = withoutSubnormals(bt.valuesView());
            wide = Math.max(wide, s[1]);
        }
        if (nOut[layers - 1] != 1) {
            throw new IllegalArgumentException("DL+ output layer must have one unit, got " + nOut[layers - 1]);
        }
        if (nIn[0] % 2 != 0) {
            throw new IllegalArgumentException("DL+ input must be [user, item] embeddings of equal size, got " + nIn[0]);
        }
        this.dim = nIn[0] / 2;
        this.widest = wide;
        if (params.has(PRODUCT_WEIGHTS)) {
            DenseParameters.Tensor x = params.tensor(PRODUCT_WEIGHTS);
            int[] s = x.shapeView();
            if (s.length != 2 || s[0] != dim || s[1] != nOut[0]) {
                throw new IllegalArgumentException("dense parameters '" + params.fingerprint() + "': " + x
                        + " does not fit a " + dim + "-dim embedding and a first layer of " + nOut[0]);
            }
            this.wx = withoutSubnormals(x.valuesView());
        } else {
            this.wx = null;
        }
        int h1 = nOut[0];
        this.w0UserT = transpose(w[0], 0, dim, h1);
        this.w0ItemT = transpose(w[0], dim * h1, dim, h1);
        this.wxT = wx == null ? null : transpose(wx, 0, dim, h1);
    }

    /** rows × cols block of {@code m} starting at {@code off}, row-major, as cols × rows. */
    private static float[] transpose(float[] m, int off, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[off + i * cols + j];
            }
        }
        return t;
    }

    /** Weights smaller than this are read as 0 (see {@link #withoutSubnormals}). */
    static final float NEGLIGIBLE_WEIGHT = 1e-30f;

    /**
     * {@code v}, or a copy with its values below {@link #NEGLIGIBLE_WEIGHT} in magnitude set to 0. Weights that L2
     * keeps shrinking (dead ReLU units under Adam) decay towards the subnormal range, and a multiply that touches a
     * subnormal (the weight itself, or its product with a small embedding) takes the CPU's slow path: measured on
     * ml-100k after 10 epochs, half of DL+'s weights were subnormal and a whole-catalogue score took 70 ms instead of
     * 0.75 ms. Such a weight moves a rating by less than 1e-24, far below a float's resolution at 1..5.
     */
    static float[] withoutSubnormals(float[] v) {
        float[] out = v;
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0f && Math.abs(v[i]) < NEGLIGIBLE_WEIGHT) {
                if (out == v) {
                    out = v.clone();
                }
                out[i] = 0f;
            }
        }
        return out;
    }

    public static String weightName(int hiddenLayer) {
        return "dense" + hiddenLayer + ".W";
    }

    public static String biasName(int hiddenLayer) {
        return "dense" + hiddenLayer + ".b";
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** Embedding dimension. */
    public int dim() {
        return dim;
    }

    /** Width of the first hidden layer: the length of user and item shares. */
    public int shareWidth() {
        return nOut[0];
    }

    /** The rating for a (user, item) pair; a null row is cold: then only μ and the known biases count. */
    public float score(float[] userRow, float[] itemRow, RatingOutput output) {
        if (userRow == null || itemRow == null) {
            float x = (userRow == null ? 0f : userRow[0]) + (itemRow == null ? 0f : itemRow[0]);
            return output.apply(x);
        }
        return output.apply(rowTerms(userRow, itemRow));
    }

    /** x = b_u + b_i + z, the network output z for both rows known. */
    public float rowTerms(float[] userRow, float[] itemRow) {
        requireRow(userRow);
        requireRow(itemRow);
        float[] h = userShare(userRow);
        float[] share = itemShare(itemRow);
        int n = nOut[0];
        if (wx != null) {
            for (int k = 0; k < dim; k++) {
                axpy(userRow[1 + k] * itemRow[1 + k], wx, k * n, h, n);
            }
        }
        for (int j = 0; j < n; j++) {
            h[j] = Math.max(0f, h[j] + share[j]);
        }
        return userRow[0] + itemRow[0] + rest(h, new float[widest], new float[widest]);
    }

    /**
     * {@link #rowTerms} and its gradient with respect to both embeddings: {@code gradUser[i]} = ∂z/∂p_i and
     * {@code gradItem[i]} = ∂z/∂q_i (length {@link #dim()}; ∂x/∂b = 1 for both biases). The network in inference mode
     * (no dropout), at these weights: what an event-by-event row step needs without a DL4J call per event. Same sums
     * in the same order as {@link #rowTerms}, so the returned x equals it.
     */
    public float rowTermsWithGradient(float[] userRow, float[] itemRow, float[] gradUser, float[] gradItem) {
        requireRow(userRow);
        requireRow(itemRow);
        int n = nOut[0];
        float[][] act = new float[layers][];
        float[] h = userShare(userRow);
        float[] share = itemShare(itemRow);
        if (wx != null) {
            for (int k = 0; k < dim; k++) {
                axpy(userRow[1 + k] * itemRow[1 + k], wx, k * n, h, n);
            }
        }
        for (int j = 0; j < n; j++) {
            h[j] = Math.max(0f, h[j] + share[j]);
        }
        act[0] = h;
        for (int k = 1; k < layers; k++) {
            float[] next = b[k].clone();
            float[] in = act[k - 1];
            int m = nOut[k];
            for (int i = 0; i < nIn[k]; i++) {
                float a = in[i];
                if (a != 0f) {
                    axpy(a, w[k], i * m, next, m);
                }
            }
            if (k < layers - 1) {
                for (int j = 0; j < m; j++) {
                    next[j] = Math.max(0f, next[j]);
                }
            }
            act[k] = next;
        }
        float z = act[layers - 1][0];
        // Backward: g holds ∂z/∂(activation of layer k-1), masked by ReLU' (activation > 0) on the way down.
        float[] g = new float[]{1f};
        for (int k = layers - 1; k >= 1; k--) {
            int m = nOut[k];
            float[] below = act[k - 1];
            float[] gin = new float[nIn[k]];
            for (int i = 0; i < nIn[k]; i++) {
                if (below[i] > 0f) {
                    float s = 0f;
                    for (int j = 0; j < m; j++) {
                        s += w[k][i * m + j] * g[j];
                    }
                    gin[i] = s;
                }
            }
            g = gin;
        }
        // g = ∂z/∂(pre-activation of layer 0); the first layer reads [p, q] and, with the product, p ⊙ q.
        java.util.Arrays.fill(gradUser, 0, dim, 0f);
        java.util.Arrays.fill(gradItem, 0, dim, 0f);
        float[] sx = wxT == null ? null : new float[dim];
        for (int j = 0; j < n; j++) {
            float gj = g[j];
            if (gj == 0f) {
                continue;
            }
            int o = j * dim;
            axpy(gj, w0UserT, o, gradUser, dim);
            axpy(gj, w0ItemT, o, gradItem, dim);
            if (sx != null) {
                axpy(gj, wxT, o, sx, dim);
            }
        }
        if (sx != null) {
            for (int i = 0; i < dim; i++) {
                gradUser[i] += sx[i] * itemRow[1 + i];
                gradItem[i] += sx[i] * userRow[1 + i];
            }
        }
        return userRow[0] + itemRow[0] + z;
    }

    /** W1_user·p_u + b1 (length {@link #shareWidth()}). */
    public float[] userShare(float[] userRow) {
        requireRow(userRow);
        int n = nOut[0];
        float[] out = b[0].clone();
        float[] w0 = w[0];
        for (int i = 0; i < dim; i++) {
            axpy(userRow[1 + i], w0, i * n, out, n);
        }
        return out;
    }

    /**
     * W1_item·q_i (length {@link #shareWidth()}; followed by q_i itself when the model feeds the product): precompute
     * per item, refresh when its row or the weights change.
     */
    public float[] itemShare(float[] itemRow) {
        requireRow(itemRow);
        int n = nOut[0];
        float[] out = new float[wx == null ? n : n + dim];
        float[] w0 = w[0];
        for (int i = 0; i < dim; i++) {
            axpy(itemRow[1 + i], w0, (dim + i) * n, out, n);
        }
        if (wx != null) {
            System.arraycopy(itemRow, 1, out, n, dim);
        }
        return out;
    }

    /** Whether the network also reads p ⊙ q. */
    public boolean product() {
        return wx != null;
    }

    /**
     * Scores every item for one user: {@code out[k]} = output(b_u + itemBiases[k] + z(userShare + itemShares[k])).
     * The user row must be known (a cold user has no embedding to rank with: rank by biases instead).
     */
    public void scoreAll(float[] userRow, float[][] itemShares, float[] itemBiases, RatingOutput output, float[] out) {
        int items = itemShares.length;
        if (itemBiases.length < items || out.length < items) {
            throw new IllegalArgumentException("scoreAll: " + items + " item shares but " + itemBiases.length
                    + " biases and room for " + out.length + " scores");
        }
        float[] user = userShare(userRow);
        float bu = userRow[0];
        int n = nOut[0];
        float[] h = new float[n];
        float[] s1 = new float[widest];
        float[] s2 = new float[widest];
        float[] scaled = null;
        if (wx != null) {
            // Wx scaled by p_u, once per user: the product term of an item is then Σ_k q_k · scaled[k].
            scaled = new float[dim * n];
            for (int k = 0; k < dim; k++) {
                axpy(userRow[1 + k], wx, k * n, scaled, k * n, n);
            }
        }
        for (int k = 0; k < items; k++) {
            float[] share = itemShares[k];
            for (int j = 0; j < n; j++) {
                h[j] = user[j] + share[j];
            }
            if (scaled != null) {
                for (int i = 0; i < dim; i++) {
                    axpy(share[n + i], scaled, i * n, h, n);
                }
            }
            for (int j = 0; j < n; j++) {
                h[j] = Math.max(0f, h[j]);
            }
            out[k] = output.apply(bu + itemBiases[k] + rest(h, s1, s2));
        }
    }

    /**
     * {@code count} items laid out for {@link #scoreAllColumns}: biases, embeddings and first-layer shares, column-major,
     * built once for these vectors and the current weights. Each vector reads as an item row (b_i, then the embedding;
     * anything after it is ignored). What a whole-catalogue ranking that scores many users against one catalogue
     * state builds: the trainer's prequential ranking, once per sampled event.
     */
    public ColumnCatalogue columnCatalogue(float[][] itemVectors, int count, ColumnOps ops) {
        int stride = Math.max(1, count);
        float[] emb = new float[dim * stride];
        float[] biases = new float[count];
        for (int k = 0; k < count; k++) {
            float[] v = itemVectors[k];
            requireRow(v);
            biases[k] = v[0];
            for (int i = 0; i < dim; i++) {
                emb[i * stride + k] = v[1 + i];
            }
        }
        float[] shares = new float[shareWidth() * stride];
        itemShareColumns(emb, stride, count, shares, ops);
        return new ColumnCatalogue(emb, shares, biases, stride, count, ops);
    }

    /** A catalogue state of {@link #columnCatalogue}: scores users against it until the weights or rows change. */
    public final class ColumnCatalogue {
        private final float[] emb;
        private final float[] shares;
        private final float[] biases;
        private final int stride;
        private final int count;
        private final ColumnOps ops;

        private ColumnCatalogue(float[] emb, float[] shares, float[] biases, int stride, int count, ColumnOps ops) {
            this.emb = emb;
            this.shares = shares;
            this.biases = biases;
            this.stride = stride;
            this.count = count;
            this.ops = ops;
        }

        /** {@code out[k]} = output(b_u + b_k + z) for every item k, as {@link #scoreAll} computes it. */
        public void scoreAll(float[] userRow, RatingOutput output, float[] out) {
            scoreAllColumns(userRow, shares, emb, stride, count, biases, output, out, ops);
        }

        /** The items' biases, in catalogue order (how a cold user is ranked). */
        public void biases(float[] out) {
            System.arraycopy(biases, 0, out, 0, count);
        }
    }

    /** Items per block of {@link #scoreAllColumns}: a block's activations (width × 256 floats) stay in L1/L2. */
    static final int COLUMN_BLOCK = 256;

    /**
     * {@link #itemShare} for many items at once, in column-major form: the embedding of item r is
     * {@code embCols[i * stride + r]} (i &lt; dim), and its share j lands in {@code shareCols[j * stride + r]}
     * (j &lt; {@link #shareWidth()}); items 0..items-1. The same sums in the same order as {@link #itemShare}, so the
     * values are identical; the inner loops run over items and vectorize. For refreshing every item when weights change.
     */
    public void itemShareColumns(float[] embCols, int stride, int items, float[] shareCols) {
        itemShareColumns(embCols, stride, items, shareCols, ColumnOps.SCALAR);
    }

    /** {@link #itemShareColumns} with the item loop run by {@code ops} (same floats whichever runs). */
    public void itemShareColumns(float[] embCols, int stride, int items, float[] shareCols, ColumnOps ops) {
        int n = nOut[0];
        float[] w0 = w[0];
        // Blocks of items, as scoreAllColumns: a block's embeddings stay in cache over the n shares instead of the
        // whole catalogue streaming from memory n times (2× faster on 62 k items, measured).
        for (int start = 0; start < items; start += COLUMN_BLOCK) {
            int len = Math.min(COLUMN_BLOCK, items - start);
            for (int j = 0; j < n; j++) {
                java.util.Arrays.fill(shareCols, j * stride + start, j * stride + start + len, 0f);
                ops.axpyMany(w0, dim * n + j, n, dim, embCols, start, stride, shareCols, j * stride + start, len);
            }
        }
    }

    /**
     * {@link #scoreAll} over column-major item data (the layout of a scorer's item matrix, where SIMD lanes run over
     * items): item r's first-layer share j at {@code shareCols[j * stride + r]} ({@link #itemShareColumns}), its
     * embedding component i at {@code embCols[i * stride + r]} (read only when the model feeds p ⊙ q), its bias at
     * {@code itemBiases[r]}; items 0..items-1, scores into {@code out[r]}. Items are taken in blocks whose
     * activations are laid out item-minor too, so every inner loop is a long run over items that the JIT vectorizes;
     * the sums are the same, in the same order, as {@link #scoreAll}'s, so the scores are identical.
     */
    public void scoreAllColumns(float[] userRow, float[] shareCols, float[] embCols, int stride, int items,
                                float[] itemBiases, RatingOutput output, float[] out) {
        scoreAllColumns(userRow, shareCols, embCols, stride, items, itemBiases, output, out, ColumnOps.SCALAR);
    }

    /** {@link #scoreAllColumns} with the item loops run by {@code ops} (same floats whichever runs). */
    public void scoreAllColumns(float[] userRow, float[] shareCols, float[] embCols, int stride, int items,
                                float[] itemBiases, RatingOutput output, float[] out, ColumnOps ops) {
        if (itemBiases.length < items || out.length < items || shareCols.length < (long) nOut[0] * stride - stride + items) {
            throw new IllegalArgumentException("scoreAllColumns: " + items + " items but " + itemBiases.length
                    + " biases, " + shareCols.length + " share floats and room for " + out.length + " scores");
        }
        float[] user = userShare(userRow);
        float bu = userRow[0];
        int n = nOut[0];
        float[] scaled = null;
        if (wx != null) {
            scaled = new float[dim * n];
            for (int k = 0; k < dim; k++) {
                axpy(userRow[1 + k], wx, k * n, scaled, k * n, n);
            }
        }
        int bw = COLUMN_BLOCK;
        float[] h = new float[n * bw];
        float[] s1 = new float[widest * bw];
        float[] s2 = new float[widest * bw];
        for (int start = 0; start < items; start += bw) {
            int len = Math.min(bw, items - start);
            for (int j = 0; j < n; j++) {
                ops.addScalar(user[j], shareCols, j * stride + start, h, j * bw, len);
            }
            if (scaled != null) {
                for (int j = 0; j < n; j++) {
                    ops.axpyMany(scaled, j, n, dim, embCols, start, stride, h, j * bw, len);
                }
            }
            for (int j = 0; j < n; j++) {
                ops.relu(h, j * bw, len);
            }
            float[] z = restColumns(h, s1, s2, bw, len, ops);
            for (int r = 0; r < len; r++) {
                out[start + r] = output.apply(bu + itemBiases[start + r] + z[r]);
            }
        }
    }

    /** Layers 2..L over a block of activations laid out [unit][item] with row stride bw; returns the array whose
     *  first len entries are the output unit z per item. */
    private float[] restColumns(float[] h1, float[] s1, float[] s2, int bw, int len, ColumnOps ops) {
        float[] in = h1;
        float[] next = s1;
        for (int k = 1; k < layers; k++) {
            int n = nOut[k];
            float[] wk = w[k];
            float[] bk = b[k];
            for (int j = 0; j < n; j++) {
                int no = j * bw;
                java.util.Arrays.fill(next, no, no + len, bk[j]);
                ops.axpyMany(wk, j, n, nIn[k], in, 0, bw, next, no, len);
            }
            if (k == layers - 1) {
                return next;
            }
            for (int j = 0; j < n; j++) {
                ops.relu(next, j * bw, len);
            }
            float[] t = in == h1 ? s2 : in;
            in = next;
            next = t;
        }
        throw new IllegalStateException("unreachable: the network has an output layer");
    }

    /** Layers 2..L on the first hidden layer's activations; returns the output unit z. */
    private float rest(float[] h1, float[] s1, float[] s2) {
        float[] in = h1;
        float[] next = s1;
        for (int k = 1; k < layers; k++) {
            int n = nOut[k];
            float[] wk = w[k];
            System.arraycopy(b[k], 0, next, 0, n);
            for (int i = 0; i < nIn[k]; i++) {
                float a = in[i];
                if (a != 0f) {
                    axpy(a, wk, i * n, next, n);
                }
            }
            if (k == layers - 1) {
                return next[0];
            }
            for (int j = 0; j < n; j++) {
                next[j] = Math.max(0f, next[j]);
            }
            float[] t = in == h1 ? s2 : in;
            in = next;
            next = t;
        }
        throw new IllegalStateException("unreachable: the network has an output layer");
    }

    // out[0..n) += a * w[off .. off+n): the loop the JIT vectorizes.
    private static void axpy(float a, float[] w, int off, float[] out, int n) {
        for (int j = 0; j < n; j++) {
            out[j] += a * w[off + j];
        }
    }

    private static void axpy(float a, float[] w, int off, float[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            out[outOff + j] += a * w[off + j];
        }
    }

    private void requireRow(float[] row) {
        if (row.length < 1 + dim) {
            throw new IllegalArgumentException("row of " + row.length + " floats cannot hold bias + " + dim
                    + "-dim embedding for '" + fingerprint + "'");
        }
    }
}
