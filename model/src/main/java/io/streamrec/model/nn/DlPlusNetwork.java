package io.streamrec.model.nn;

import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The dense part of DL+ on DL4J: a {@link MultiLayerNetwork} [2·dim] → ReLU hidden layers (dropout on each one's
 * output) → one linear unit z, trained with Adam on ND4J. One call per mini-batch: {@link #step} takes the gathered
 * [B, 2·dim] embeddings and per-event (rating, offset), runs DL4J's {@code calculateGradients} (forward in training
 * mode, backward through {@link OffsetSquaredLoss}), which returns the weight gradients AND the gradient with
 * respect to the input; the weights step through the network's own updater, the input gradient and ∂loss/∂z go back
 * to the caller for the sparse rows. No {@code EmbeddingLayer}: it would touch the whole table every step.
 *
 * <p>Snapshots ({@link #snapshot}) name tensors as {@link DlPlusScorer} reads them, row-major, so the plain-Java
 * forward is the same function as {@code net.output(x, false)}. Not thread-safe.
 */
public final class DlPlusNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(DlPlusNetwork.class);
    /** Tensor of the Adam state (DL4J's flat updater view). */
    public static final String ADAM_STATE = DenseParameters.OPTIMIZER_STATE_PREFIX + "adam";

    /**
     * Everything that shapes the network; {@code product} widens the input to [p, q, p ⊙ q]; {@code dataType}
     * DOUBLE is for gradient checks.
     */
    public record Spec(int dim, boolean product, List<Integer> hidden, double dropout, double learningRate, double l2Weights, long seed,
                       boolean sigmoidRange, double squashLo, double squashSpan, DataType dataType) {
        public Spec {
            hidden = List.copyOf(hidden);
            Objects.requireNonNull(dataType, "dataType");
        }
    }

    /** One batch's gradients: ∂loss/∂z per event, ∂loss/∂input [B × inputs] row-major, and the weight gradient. */
    public record Gradients(double[] dz, float[] input, double[] weights) {
    }

    private final Spec spec;
    private final String fingerprint;
    private final MultiLayerNetwork net;
    private final OffsetSquaredLoss loss;
    private final int inputs;
    private final int layerCount;
    private final LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
    private long steps;

    public DlPlusNetwork(Spec spec, String fingerprint) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        // Batch-sized GEMMs gain nothing from OpenMP on shared cores (docs/ARCHITECTURE.md, "Learned the hard way").
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
        }
        this.inputs = (spec.product() ? 3 : 2) * spec.dim();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(spec.dataType())
                .updater(new Adam(spec.learningRate()))
                .l2(spec.l2Weights())
                .l2Bias(0.0)
                .weightInit(WeightInit.RELU)
                .list();
        int in = inputs;
        for (int k = 0; k < spec.hidden().size(); k++) {
            DenseLayer.Builder b = new DenseLayer.Builder().nIn(in).nOut(spec.hidden().get(k)).activation(Activation.RELU);
            if (k > 0 && spec.dropout() > 0) {
                b.dropOut(1.0 - spec.dropout()); // DL4J takes the RETAIN probability of the layer's input
            }
            list.layer(b.build());
            in = spec.hidden().get(k);
        }
        OffsetSquaredLoss lossFn = spec.sigmoidRange()
                ? OffsetSquaredLoss.sigmoidRange(spec.squashLo(), spec.squashSpan()) : OffsetSquaredLoss.linear();
        OutputLayer.Builder out = new OutputLayer.Builder(lossFn).nIn(in).nOut(1).activation(Activation.IDENTITY)
                .weightInit(WeightInit.XAVIER);
        if (spec.dropout() > 0) {
            out.dropOut(1.0 - spec.dropout());
        }
        list.layer(out.build());
        MultiLayerConfiguration conf = list.build();
        this.net = new MultiLayerNetwork(conf);
        net.init();
        this.layerCount = spec.hidden().size() + 1;
        // The instance the initialized layer really calls (in case DL4J copied the configuration).
        this.loss = (OffsetSquaredLoss) ((BaseOutputLayer) net.getOutputLayer().conf().getLayer()).getLossFn();
        LOG.debug("DL+ network {}: {} parameters", fingerprint, net.numParams());
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** Input width: 2·dim, or 3·dim with the product. */
    public int inputs() {
        return inputs;
    }

    public long steps() {
        return steps;
    }

    /** The underlying network (tests: gradient checks and parity against DL4J's own output). */
    public MultiLayerNetwork network() {
        return net;
    }

    /** Gradients of Σ_e ½(r̂_e − r_e)² for the batch, without changing the weights (regularization not included). */
    public Gradients gradients(float[] input, float[] ratings, float[] offsets, int batch) {
        Pair<Gradient, INDArray> p = compute(input, ratings, offsets, batch);
        return new Gradients(loss.lastDelta(), Nd4j.toFlattened('c', p.getSecond()).toFloatVector(),
                p.getFirst().gradient().dup().reshape(net.numParams()).toDoubleVector());
    }

    /**
     * One training step on the batch: gradients as {@link #gradients}, then Adam (with the L2 on weights) updates
     * the weights through DL4J's updater, which averages the weight gradients over the batch. Returns ∂loss/∂z per
     * event and ∂loss/∂input, for the rows (weights gradient omitted: null).
     */
    public Gradients step(float[] input, float[] ratings, float[] offsets, int batch) {
        Pair<Gradient, INDArray> p = compute(input, ratings, offsets, batch);
        float[] inputGrad = Nd4j.toFlattened('c', p.getSecond()).toFloatVector();
        double[] dz = loss.lastDelta();
        Gradient g = p.getFirst();
        // What Solver/StochasticGradientDescent do inside fit(): the updater turns the gradient into the update in
        // place (divide by batch, L2, Adam), then the flat parameter view steps by it.
        net.getUpdater().update(net, g, (int) Math.min(Integer.MAX_VALUE, steps), 0, batch, noWorkspaces);
        net.params().subi(g.gradient());
        steps++;
        if (steps % FLUSH_EVERY == 0) {
            flushSubnormals();
        }
        return new Gradients(dz, inputGrad, null);
    }

    /**
     * Steps between two passes of {@link #flushSubnormals}: measured on the ml-100k holdout (10 epochs, CPU time of
     * the learner), 8.4 s with the flush every 16 steps against 9.2–9.9 s without, the same RMSE to 4 decimals.
     */
    static final int FLUSH_EVERY = 16;

    /**
     * Sets weights and Adam moments below 1e-30 in magnitude to 0. L2 and Adam keep shrinking the weights of dead ReLU
     * units towards the subnormal range, where every multiply that touches one takes the CPU's slow path: the
     * network's own GEMMs and the plain-Java forward alike (the scorer reads such weights as 0 for the same reason,
     * {@code DlPlusScorer.NEGLIGIBLE_WEIGHT}). Changes nothing a float forward could see.
     */
    void flushSubnormals() {
        org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(net.params(), 0.0,
                org.nd4j.linalg.indexing.conditions.Conditions.absLessThan(1e-30));
        INDArray state = net.getUpdater().getStateViewArray();
        if (state != null) {
            org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(state, 0.0,
                    org.nd4j.linalg.indexing.conditions.Conditions.absLessThan(1e-30));
        }
    }

    /** The network's output z per event, in inference mode (no dropout). */
    public float[] output(float[] input, int batch) {
        return net.output(features(input, batch), false).reshape(batch).toFloatVector();
    }

    private Pair<Gradient, INDArray> compute(float[] input, float[] ratings, float[] offsets, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        float[] l = new float[2 * batch];
        for (int e = 0; e < batch; e++) {
            l[2 * e] = ratings[e];
            l[2 * e + 1] = offsets[e];
        }
        INDArray labels = Nd4j.create(l, new long[]{batch, 2}, 'c').castTo(spec.dataType());
        return net.calculateGradients(features(input, batch), labels, null, null);
    }

    private INDArray features(float[] input, int batch) {
        int n = batch * inputs;
        float[] data = input.length == n ? input : Arrays.copyOf(input, n);
        return Nd4j.create(data, new long[]{batch, inputs}, 'c').castTo(spec.dataType());
    }

    /** Weights (row-major, named for {@link DlPlusScorer}) plus the Adam state and the step count. */
    public DenseParameters snapshot() {
        return snapshot(true);
    }

    /** The weights only: what scoring needs. */
    public DenseParameters weights() {
        return snapshot(false);
    }

    private DenseParameters snapshot(boolean withState) {
        List<DenseParameters.Tensor> tensors = new ArrayList<>();
        for (int k = 0; k < layerCount; k++) {
            String name = k == layerCount - 1 ? DlPlusScorer.OUT : "dense" + k;
            INDArray w = net.getParam(k + "_W");
            INDArray b = net.getParam(k + "_b");
            int rows = (int) w.size(0);
            int cols = (int) w.size(1);
            float[] flat = Nd4j.toFlattened('c', w).toFloatVector();
            if (k == 0 && spec.product()) {
                // The product part apart (dense0.Wx), so [p, q] rows keep the user/item split scorers precompute.
                int pq = 2 * spec.dim() * cols;
                tensors.add(new DenseParameters.Tensor(name + ".W", new int[]{2 * spec.dim(), cols}, Arrays.copyOf(flat, pq)));
                tensors.add(new DenseParameters.Tensor(DlPlusScorer.PRODUCT_WEIGHTS, new int[]{spec.dim(), cols},
                        Arrays.copyOfRange(flat, pq, flat.length)));
            } else {
                tensors.add(new DenseParameters.Tensor(name + ".W", new int[]{rows, cols}, flat));
            }
            tensors.add(new DenseParameters.Tensor(name + ".b", new int[]{cols}, b.reshape(cols).toFloatVector()));
        }
        INDArray state = withState ? net.getUpdater().getStateViewArray() : null;
        if (state != null) {
            tensors.add(new DenseParameters.Tensor(ADAM_STATE, new int[]{(int) state.length()},
                    state.reshape(state.length()).toFloatVector()));
        }
        return new DenseParameters(fingerprint, steps, tensors);
    }

    /** Sets weights, Adam state (when present) and the step count from a snapshot of the same fingerprint. */
    public void restore(DenseParameters p) {
        if (!fingerprint.equals(p.fingerprint())) {
            throw new IllegalStateException("dense parameters were written by model '" + p.fingerprint()
                    + "' but this model is '" + fingerprint + "'");
        }
        for (int k = 0; k < layerCount; k++) {
            String name = k == layerCount - 1 ? DlPlusScorer.OUT : "dense" + k;
            INDArray w = net.getParam(k + "_W");
            DenseParameters.Tensor wt = p.tensor(name + ".W");
            DenseParameters.Tensor bt = p.tensor(name + ".b");
            float[] values = wt.values();
            if (k == 0 && spec.product()) {
                float[] x = p.tensor(DlPlusScorer.PRODUCT_WEIGHTS).values();
                float[] joined = Arrays.copyOf(values, values.length + x.length);
                System.arraycopy(x, 0, joined, values.length, x.length);
                values = joined;
            }
            if (values.length != w.length()) {
                throw new IllegalStateException("tensor " + wt + " does not fit layer " + k + " " + Arrays.toString(w.shape()));
            }
            w.assign(Nd4j.create(values, w.shape(), 'c').castTo(w.dataType()));
            INDArray b = net.getParam(k + "_b");
            b.assign(Nd4j.create(bt.values(), b.shape(), 'c').castTo(b.dataType()));
        }
        INDArray state = net.getUpdater().getStateViewArray();
        if (state != null && p.has(ADAM_STATE)) {
            DenseParameters.Tensor st = p.tensor(ADAM_STATE);
            if (st.size() != state.length()) {
                throw new IllegalStateException("optimizer state of " + st.size() + " floats does not fit " + state.length());
            }
            state.assign(Nd4j.create(st.values(), state.shape(), state.ordering()).castTo(state.dataType()));
        }
        this.steps = p.steps();
    }

}
