package io.streamrec.gpu;

/**
 * The CUDA C around the dense layer's GEMMs (which cuBLAS does): bias plus activation forward, the activation's
 * derivative backward, the bias gradient as column sums (one thread per column, rows in order: deterministic), and
 * Adam. Activations: 0 identity, 1 ReLU, 2 sigmoid, 3 tanh ({@link Activation#code}). No {@code #include}: NVRTC on the
 * device machine has no toolkit headers; expf/tanhf are NVRTC built-ins.
 */
public final class DenseKernelSource {

    public static final String[] KERNELS = {"bias_act_fwd", "act_bwd", "col_sum", "adam"};

    private DenseKernelSource() {
    }

    public static String generate() {
        return """
                // streamrec dense step helpers. Row-major matrices: rows x cols.
                __device__ float act(float z, int a) {
                    switch (a) {
                        case 1: return z > 0.0f ? z : 0.0f;
                        case 2: return 1.0f / (1.0f + expf(-z));
                        case 3: return tanhf(z);
                        default: return z;
                    }
                }

                __device__ float act_grad(float z, int a) {
                    switch (a) {
                        case 1: return z > 0.0f ? 1.0f : 0.0f;
                        case 2: { float s = 1.0f / (1.0f + expf(-z)); return s * (1.0f - s); }
                        case 3: { float t = tanhf(z); return 1.0f - t * t; }
                        default: return 1.0f;
                    }
                }

                // z = z + b (broadcast over rows), y = act(z); z keeps the pre-activation for the backward pass.
                extern "C" __global__ void bias_act_fwd(float* __restrict__ z, const float* __restrict__ b, float* __restrict__ y,
                                                        int rows, int cols, int a) {
                    long long t = (long long) blockIdx.x * blockDim.x + threadIdx.x;
                    if (t >= (long long) rows * cols) return;
                    float v = z[t] + b[t % cols];
                    z[t] = v;
                    y[t] = act(v, a);
                }

                extern "C" __global__ void act_bwd(const float* __restrict__ z, const float* __restrict__ dy, float* __restrict__ dz,
                                                   int rows, int cols, int a) {
                    long long t = (long long) blockIdx.x * blockDim.x + threadIdx.x;
                    if (t >= (long long) rows * cols) return;
                    dz[t] = dy[t] * act_grad(z[t], a);
                }

                extern "C" __global__ void col_sum(const float* __restrict__ m, float* __restrict__ out, int rows, int cols) {
                    int c = blockIdx.x * blockDim.x + threadIdx.x;
                    if (c >= cols) return;
                    float s = 0.0f;
                    for (int r = 0; r < rows; r++) {
                        s += m[(long long) r * cols + c];
                    }
                    out[c] = s;
                }

                // Adam with bias correction folded into c1 = 1 - beta1^t and c2 = 1 - beta2^t.
                extern "C" __global__ void adam(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m,
                                                float* __restrict__ v, int count, float lr, float beta1, float beta2, float eps,
                                                float c1, float c2) {
                    int t = blockIdx.x * blockDim.x + threadIdx.x;
                    if (t >= count) return;
                    float gt = g[t];
                    float mt = beta1 * m[t] + (1.0f - beta1) * gt;
                    float vt = beta2 * v[t] + (1.0f - beta2) * gt * gt;
                    m[t] = mt;
                    v[t] = vt;
                    p[t] -= lr * (mt / c1) / (sqrtf(vt / c2) + eps);
                }
                """;
    }
}
