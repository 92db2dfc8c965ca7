package io.streamrec.gpu;

/** {@link DenseLayer} in plain float loops: the parity reference for the GPU layer and the CPU side of its benchmark. */
public final class JavaDenseLayer implements DenseLayer {

    private final int in;
    private final int out;
    private final Activation act;
    private final float[] w;
    private final float[] b;
    private final float[] mw;
    private final float[] vw;
    private final float[] mb;
    private final float[] vb;
    private final float[] dw;
    private final float[] db;
    private float[] x = new float[0];
    private float[] z = new float[0];
    private int n;
    private int steps;

    public JavaDenseLayer(int in, int out, Activation act) {
        this.in = in;
        this.out = out;
        this.act = act;
        this.w = new float[in * out];
        this.b = new float[out];
        this.mw = new float[in * out];
        this.vw = new float[in * out];
        this.mb = new float[out];
        this.vb = new float[out];
        this.dw = new float[in * out];
        this.db = new float[out];
    }

    @Override
    public int in() {
        return in;
    }

    @Override
    public int out() {
        return out;
    }

    @Override
    public void setParameters(float[] weights, float[] bias) {
        System.arraycopy(weights, 0, w, 0, in * out);
        System.arraycopy(bias, 0, b, 0, out);
        java.util.Arrays.fill(mw, 0f);
        java.util.Arrays.fill(vw, 0f);
        java.util.Arrays.fill(mb, 0f);
        java.util.Arrays.fill(vb, 0f);
        steps = 0;
    }

    @Override
    public float[] forward(float[] input, int rows) {
        n = rows;
        x = java.util.Arrays.copyOf(input, rows * in);
        z = new float[rows * out];
        // i-k-j order: the inner loop runs along a row of W and of z, which the JIT vectorizes.
        for (int r = 0; r < rows; r++) {
            int zo = r * out;
            for (int k = 0; k < in; k++) {
                float a = x[r * in + k];
                int wo = k * out;
                for (int c = 0; c < out; c++) {
                    z[zo + c] += a * w[wo + c];
                }
            }
        }
        float[] y = new float[rows * out];
        for (int t = 0; t < rows * out; t++) {
            z[t] += b[t % out];
            y[t] = act.apply(z[t]);
        }
        return y;
    }

    @Override
    public float[] backward(float[] dy) {
        float[] dz = new float[n * out];
        for (int t = 0; t < n * out; t++) {
            dz[t] = dy[t] * act.derivative(z[t]);
        }
        java.util.Arrays.fill(dw, 0f);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < in; k++) {
                float a = x[r * in + k];
                int wo = k * out;
                for (int c = 0; c < out; c++) {
                    dw[wo + c] += a * dz[r * out + c];
                }
            }
        }
        java.util.Arrays.fill(db, 0f);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < out; c++) {
                db[c] += dz[r * out + c];
            }
        }
        float[] dx = new float[n * in];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < in; k++) {
                float s = 0f;
                int wo = k * out;
                for (int c = 0; c < out; c++) {
                    s += dz[r * out + c] * w[wo + c];
                }
                dx[r * in + k] = s;
            }
        }
        return dx;
    }

    @Override
    public void adamStep(float lr, float beta1, float beta2, float epsilon) {
        steps++;
        float c1 = (float) (1 - Math.pow(beta1, steps));
        float c2 = (float) (1 - Math.pow(beta2, steps));
        adam(w, dw, mw, vw, lr, beta1, beta2, epsilon, c1, c2);
        adam(b, db, mb, vb, lr, beta1, beta2, epsilon, c1, c2);
    }

    /** The same expression, operation for operation, as the CUDA {@code adam} kernel. */
    static void adam(float[] p, float[] g, float[] m, float[] v, float lr, float beta1, float beta2, float eps, float c1, float c2) {
        for (int t = 0; t < p.length; t++) {
            float gt = g[t];
            float mt = beta1 * m[t] + (1.0f - beta1) * gt;
            float vt = beta2 * v[t] + (1.0f - beta2) * gt * gt;
            m[t] = mt;
            v[t] = vt;
            p[t] -= lr * (mt / c1) / ((float) Math.sqrt(vt / c2) + eps);
        }
    }

    @Override
    public float[] weights() {
        return w.clone();
    }

    @Override
    public float[] bias() {
        return b.clone();
    }

    @Override
    public float[] weightGradient() {
        return dw.clone();
    }

    @Override
    public float[] biasGradient() {
        return db.clone();
    }
}
