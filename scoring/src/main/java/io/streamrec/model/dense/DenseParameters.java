package io.streamrec.model.dense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of a model's dense shared parameters (network weights, their optimizer state): named flat
 * float tensors with their shapes, the fingerprint of the model that produced them and how many updates they have
 * seen. It is what the trainer checkpoints, exchanges between subtasks ({@link #average}) and publishes for the
 * scorer; {@link DenseCodec} is its wire form. Plain Java on purpose: this package must not import ND4J or DL4J so
 * the scorer can depend on it without a native backend.
 *
 * <p>Tensors are row-major: a tensor of shape [r, c] keeps element (i, j) at {@code i * c + j}.
 */
public final class DenseParameters {

    /** Tensors whose name starts with this are optimizer state: needed to resume training, not to score. */
    public static final String OPTIMIZER_STATE_PREFIX = "optimizer.";

    /** One named tensor; the arrays are copied in and out, so a tensor never changes after construction. */
    public record Tensor(String name, int[] shape, float[] values) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("tensor name must not be empty");
            }
            shape = Objects.requireNonNull(shape, "shape").clone();
            values = Objects.requireNonNull(values, "values").clone();
            long size = 1;
            for (int s : shape) {
                if (s < 0) {
                    throw new IllegalArgumentException("tensor " + name + " has a negative dimension: " + Arrays.toString(shape));
                }
                size *= s;
            }
            if (size != values.length) {
                throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape) + " needs "
                        + size + " values, got " + values.length);
            }
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }

        /** Element count. */
        public int size() {
            return values.length;
        }

        /** Reads without copying, for this package's hot paths. */
        float[] valuesView() {
            return values;
        }

        int[] shapeView() {
            return shape;
        }

        boolean sameShape(Tensor other) {
            return Arrays.equals(shape, other.shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    private final String fingerprint;
    private final long steps;
    private final Map<String, Tensor> tensors;

    public DenseParameters(String fingerprint, long steps, List<Tensor> tensors) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        if (fingerprint.isBlank()) {
            throw new IllegalArgumentException("fingerprint must not be blank");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        this.steps = steps;
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Tensor t : Objects.requireNonNull(tensors, "tensors")) {
            if (m.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor " + t.name());
            }
        }
        this.tensors = Collections.unmodifiableMap(m);
    }

    /** The model identity these parameters belong to (family, dims, layer sizes, optimizer, format). */
    public String fingerprint() {
        return fingerprint;
    }

    /** How many optimizer steps the weights have taken (Adam's bias correction resumes from it). */
    public long steps() {
        return steps;
    }

    /** The tensors in their canonical order. */
    public List<Tensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in dense parameters " + fingerprint
                    + " (have " + tensors.keySet() + ")");
        }
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The same parameters without optimizer state: what the scorer needs, a fraction of the size. */
    public DenseParameters weightsOnly() {
        List<Tensor> w = new ArrayList<>();
        for (Tensor t : tensors.values()) {
            if (!t.name().startsWith(OPTIMIZER_STATE_PREFIX)) {
                w.add(t);
            }
        }
        return new DenseParameters(fingerprint, steps, w);
    }

    /** Total float count over all tensors. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }

    /**
     * Parameter averaging (the parameter-server sync of data-parallel subtasks): the element-wise mean of every
     * tensor, optimizer state included; steps is the largest of the inputs (each copy has taken that many steps of
     * its own). All inputs must share the fingerprint and the tensor names and shapes.
     */
    public static DenseParameters average(List<DenseParameters> copies) {
        Objects.requireNonNull(copies, "copies");
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("nothing to average: no dense parameters given");
        }
        DenseParameters first = copies.get(0);
        if (copies.size() == 1) {
            return first;
        }
        long steps = 0;
        for (DenseParameters p : copies) {
            if (!p.fingerprint.equals(first.fingerprint)) {
                throw new IllegalArgumentException("cannot average dense parameters of different models: '"
                        + first.fingerprint + "' and '" + p.fingerprint + "'");
            }
            if (!p.tensors.keySet().equals(first.tensors.keySet())) {
                throw new IllegalArgumentException("cannot average dense parameters with different tensors: "
                        + first.tensors.keySet() + " and " + p.tensors.keySet());
            }
            steps = Math.max(steps, p.steps);
        }
        List<Tensor> out = new ArrayList<>();
        double n = copies.size();
        for (Tensor t : first.tensors.values()) {
            // Sum in double: averaging many subtasks' float copies should not lose the low bits.
            double[] acc = new double[t.size()];
            for (DenseParameters p : copies) {
                Tensor o = p.tensors.get(t.name());
                if (!o.sameShape(t)) {
                    throw new IllegalArgumentException("tensor " + t.name() + " has shape " + Arrays.toString(t.shapeView())
                            + " in one copy and " + Arrays.toString(o.shapeView()) + " in another");
                }
                float[] v = o.valuesView();
                for (int k = 0; k < v.length; k++) {
                    acc[k] += v[k];
                }
            }
            float[] mean = new float[acc.length];
            for (int k = 0; k < acc.length; k++) {
                mean[k] = (float) (acc[k] / n);
            }
            out.add(new Tensor(t.name(), t.shapeView(), mean));
        }
        return new DenseParameters(first.fingerprint, steps, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseParameters p && fingerprint.equals(p.fingerprint) && steps == p.steps
                && tensors.equals(p.tensors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint, steps, tensors);
    }

    @Override
    public String toString() {
        return "DenseParameters{" + fingerprint + ", steps=" + steps + ", " + tensors.values() + '}';
    }
}
