package io.streamrec.gpu;

/**
 * The CUDA C of the MF mini-batch step for one row width ({@code 1 + dim}), baked in as a constant so the compiler
 * unrolls the per-row loops. Kernels, all over packed rows {@code [bias, vector]} as {@link
 * io.streamrec.model.kernel.GatheredBatch} holds them:
 * <ul>
 *   <li>{@code mf_dots}: one thread per event, p·q summed over j in increasing order (the Java kernel's order);</li>
 *   <li>{@code mf_row_grad}: one thread per (row, column); it walks the row's events in event order (a CSR segment
 *       prepared on the CPU by {@link RowSegments}) and sums their gradients, so the sum has the same terms in the same
 *       order as the Java kernel's loop: deterministic and equal to it, where float atomics would add in a different
 *       order every run (a replayed batch after a restore would then learn different rows);</li>
 *   <li>{@code mf_dloss}: x = b_u + b_i + dot, dLoss = μ + x − r (the linear output; the device-resident benchmark step);</li>
 *   <li>{@code mf_sgd}: θ −= lr·∂θ on the touched rows.</li>
 * </ul>
 * No {@code #include}: NVRTC on the device machine has no toolkit headers to include.
 */
public final class MfKernelSource {

    public static final String[] KERNELS = {"mf_dots", "mf_row_grad", "mf_dloss", "mf_sgd"};

    private MfKernelSource() {
    }

    public static String generate(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("row width (1 + dim) must be >= 1, got " + width);
        }
        // Prepended, not String.format: the kernels use '%' themselves.
        return "// streamrec MF step, generated for row width W = 1 + dim.\n#define W " + width + "\n" + BODY;
    }

    private static final String BODY = """

                extern "C" __global__ void mf_dots(const float* __restrict__ up, const float* __restrict__ ip,
                                                   const int* __restrict__ ui, const int* __restrict__ ii,
                                                   float* __restrict__ out, int n) {
                    int e = blockIdx.x * blockDim.x + threadIdx.x;
                    if (e >= n) return;
                    const float* p = up + (long long) ui[e] * W;
                    const float* q = ip + (long long) ii[e] * W;
                    float s = 0.0f;
                    #pragma unroll
                    for (int j = 1; j < W; j++) {
                        s += p[j] * q[j];
                    }
                    out[e] = s;
                }

                // grad[k][j] = sum over the events of row k, in event order, of dLoss[e] * dir + l2 * self[k][j], where dir is
                // 1 for the bias column and the other side's factor otherwise.
                extern "C" __global__ void mf_row_grad(const float* __restrict__ self, const float* __restrict__ other,
                                                       const int* __restrict__ otherIndex, const int* __restrict__ segStart,
                                                       const int* __restrict__ segEvents, const float* __restrict__ dLoss,
                                                       float* __restrict__ grad, int rows, float l2Bias, float l2Factors) {
                    long long t = (long long) blockIdx.x * blockDim.x + threadIdx.x;
                    if (t >= (long long) rows * W) return;
                    int k = (int) (t / W);
                    int j = (int) (t - (long long) k * W);
                    float own = self[t];
                    float l2 = j == 0 ? l2Bias : l2Factors;
                    float g = 0.0f;
                    int end = segStart[k + 1];
                    for (int s = segStart[k]; s < end; s++) {
                        int e = segEvents[s];
                        float dir = j == 0 ? 1.0f : other[(long long) otherIndex[e] * W + j];
                        g += dLoss[e] * dir + l2 * own;
                    }
                    grad[t] = g;
                }

                extern "C" __global__ void mf_dloss(const float* __restrict__ up, const float* __restrict__ ip,
                                                    const int* __restrict__ ui, const int* __restrict__ ii,
                                                    const float* __restrict__ dots, const float* __restrict__ ratings,
                                                    float mean, float* __restrict__ dLoss, int n) {
                    int e = blockIdx.x * blockDim.x + threadIdx.x;
                    if (e >= n) return;
                    float x = up[(long long) ui[e] * W] + ip[(long long) ii[e] * W] + dots[e];
                    dLoss[e] = mean + x - ratings[e];
                }

                extern "C" __global__ void mf_sgd(float* __restrict__ params, const float* __restrict__ grad,
                                                  int rows, float lrBias, float lrFactors) {
                    long long t = (long long) blockIdx.x * blockDim.x + threadIdx.x;
                    if (t >= (long long) rows * W) return;
                    int j = (int) (t % W);
                    params[t] -= (j == 0 ? lrBias : lrFactors) * grad[t];
                }
                """;
}
