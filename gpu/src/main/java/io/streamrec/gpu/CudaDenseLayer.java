package io.streamrec.gpu;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.javacpp.FloatPointer;

/**
 * {@link DenseLayer} on the device: the three GEMMs of a layer step (x·W, xᵀ·∂z, ∂z·Wᵀ) through cuBLAS in FP32
 * (CUBLAS_DEFAULT_MATH: no TF32, so parity with the Java layer is a rounding-order question only), bias, activation,
 * column sums and Adam in NVRTC kernels. W, b, the Adam moments and the batch's activations stay resident; the
 * host-array methods copy in and out, the {@code *Resident} ones do not (the benchmark times those).
 */
public final class CudaDenseLayer implements DenseLayer {

    private static final int BLOCK = 256;

    private final CudaDevice device;
    private final CudaModule module;
    private final cublasContext blas = new cublasContext();
    private final int in;
    private final int out;
    private final Activation act;
    private final DeviceBuffer w = new DeviceBuffer("W");
    private final DeviceBuffer b = new DeviceBuffer("b");
    private final DeviceBuffer mw = new DeviceBuffer("mW");
    private final DeviceBuffer vw = new DeviceBuffer("vW");
    private final DeviceBuffer mb = new DeviceBuffer("mb");
    private final DeviceBuffer vb = new DeviceBuffer("vb");
    private final DeviceBuffer dw = new DeviceBuffer("dW");
    private final DeviceBuffer db = new DeviceBuffer("db");
    private final DeviceBuffer x = new DeviceBuffer("x");
    private final DeviceBuffer z = new DeviceBuffer("z");
    private final DeviceBuffer y = new DeviceBuffer("y");
    private final DeviceBuffer dy = new DeviceBuffer("dy");
    private final DeviceBuffer dz = new DeviceBuffer("dz");
    private final DeviceBuffer dx = new DeviceBuffer("dx");
    private final FloatPointer one = new FloatPointer(1).put(1f);
    private final FloatPointer zero = new FloatPointer(1).put(0f);
    private int n;
    private int steps;

    public CudaDenseLayer(CudaDevice device, int in, int out, Activation act) {
        this.device = device;
        this.in = in;
        this.out = out;
        this.act = act;
        device.makeCurrent();
        this.module = new CudaModule(NvrtcCompiler.compileToCubin(DenseKernelSource.generate(), "streamrec_dense.cu", device.info().arch()));
        CudaErrors.checkCublas(cublas.cublasCreate_v2(blas), "cublasCreate");
        CudaErrors.checkCublas(cublas.cublasSetMathMode(blas, cublas.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
        for (DeviceBuffer buf : new DeviceBuffer[]{w, mw, vw, dw}) {
            buf.ensure((long) in * out);
        }
        for (DeviceBuffer buf : new DeviceBuffer[]{b, mb, vb, db}) {
            buf.ensure(out);
        }
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
        device.makeCurrent();
        w.upload(weights, in * out);
        b.upload(bias, out);
        mw.zero((long) in * out);
        vw.zero((long) in * out);
        mb.zero(out);
        vb.zero(out);
        steps = 0;
    }

    @Override
    public float[] forward(float[] input, int rows) {
        device.makeCurrent();
        x.upload(input, rows * in);
        forwardResident(rows);
        float[] result = new float[rows * out];
        y.download(result, rows * out);
        return result;
    }

    /** Forward over the batch already in the x buffer (see {@link #loadBatch}). */
    public void forwardResident(int rows) {
        n = rows;
        z.ensure((long) rows * out);
        y.ensure((long) rows * out);
        // Row-major Z (n×out) = X·W is column-major Zᵀ = Wᵀ·Xᵀ: cuBLAS sees W as out×in and X as in×n.
        gemm(cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, out, rows, in, w, out, x, in, z, out);
        module.launch("bias_act_fwd", (long) rows * out, BLOCK, z.address(), b.address(), y.address(), rows, out, act.code);
    }

    @Override
    public float[] backward(float[] gradOut) {
        device.makeCurrent();
        dy.upload(gradOut, n * out);
        backwardResident();
        float[] result = new float[n * in];
        dx.download(result, n * in);
        return result;
    }

    /** Backward from the dy buffer for the last forward. */
    public void backwardResident() {
        dz.ensure((long) n * out);
        dx.ensure((long) n * in);
        module.launch("act_bwd", (long) n * out, BLOCK, z.address(), dy.address(), dz.address(), n, out, act.code);
        // ∂W (in×out) = Xᵀ·∂Z: column-major ∂Wᵀ = ∂Zᵀ·X, with ∂Zᵀ as out×n and X as in×n transposed.
        gemm(cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_T, out, in, n, dz, out, x, in, dw, out);
        module.launch("col_sum", out, BLOCK, dz.address(), db.address(), n, out);
        // ∂X (n×in) = ∂Z·Wᵀ: column-major ∂Xᵀ = W·∂Zᵀ, with W stored as out×in (so transposed).
        gemm(cublas.CUBLAS_OP_T, cublas.CUBLAS_OP_N, in, n, out, w, out, dz, out, dx, in);
    }

    /** Puts a batch's input and output gradient on the device for the resident methods. */
    public void loadBatch(float[] input, float[] gradOut, int rows) {
        device.makeCurrent();
        x.upload(input, rows * in);
        dy.upload(gradOut, rows * out);
        n = rows;
    }

    @Override
    public void adamStep(float lr, float beta1, float beta2, float epsilon) {
        steps++;
        float c1 = (float) (1 - Math.pow(beta1, steps));
        float c2 = (float) (1 - Math.pow(beta2, steps));
        module.launch("adam", (long) in * out, BLOCK, w.address(), dw.address(), mw.address(), vw.address(), in * out, lr, beta1,
                beta2, epsilon, c1, c2);
        module.launch("adam", out, BLOCK, b.address(), db.address(), mb.address(), vb.address(), out, lr, beta1, beta2, epsilon, c1, c2);
    }

    public void synchronize() {
        device.synchronize();
    }

    @Override
    public float[] weights() {
        return read(w, in * out);
    }

    @Override
    public float[] bias() {
        return read(b, out);
    }

    @Override
    public float[] weightGradient() {
        return read(dw, in * out);
    }

    @Override
    public float[] biasGradient() {
        return read(db, out);
    }

    private float[] read(DeviceBuffer buf, int count) {
        device.makeCurrent();
        float[] r = new float[count];
        buf.download(r, count);
        return r;
    }

    private void gemm(int opA, int opB, int m, int nCols, int k, DeviceBuffer a, int lda, DeviceBuffer bMat, int ldb, DeviceBuffer c, int ldc) {
        CudaErrors.checkCublas(cublas.cublasSgemm_v2(blas, opA, opB, m, nCols, k, one, onDevice(a), lda, onDevice(bMat), ldb, zero,
                onDevice(c), ldc), "cublasSgemm");
    }

    /** A JavaCPP pointer to device memory: cuBLAS takes device addresses where the Java signature says FloatPointer. */
    private static FloatPointer onDevice(DeviceBuffer buf) {
        long a = buf.address();
        return new FloatPointer() {
            {
                address = a;
            }
        };
    }

    @Override
    public void close() {
        device.makeCurrent();
        cublas.cublasDestroy_v2(blas);
        module.close();
        for (DeviceBuffer buf : new DeviceBuffer[]{w, b, mw, vw, mb, vb, dw, db, x, z, y, dy, dz, dx}) {
            buf.close();
        }
        one.close();
        zero.close();
    }
}
