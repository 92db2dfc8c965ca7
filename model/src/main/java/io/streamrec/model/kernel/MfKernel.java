package io.streamrec.model.kernel;

/**
 * The arithmetic of biased MF over a {@link GatheredBatch}. Two implementations must agree (a test holds them to it):
 * {@link JavaMfKernel}, plain loops and the CPU fast path, and {@link Nd4jMfKernel}, for the ND4J (CUDA) backend
 * and the dense deep models to come. A kernel is used by one thread.
 */
public interface MfKernel extends AutoCloseable {

    /** {@code out[e] = p_u(e) · q_i(e)} for every event e (0 when dim is 0). Biases are added by the caller. */
    void dots(GatheredBatch g, float[] out);

    /**
     * Accumulates into the batch's gradient buffers, for every event e with loss derivative {@code dLoss[e]}
     * (∂loss/∂r̂, squashing already applied), the gradient of {@code loss + l2/2 ||θ||²} per event:
     * <pre>
     *   ∂b_u += dLoss + l2Bias·b_u        ∂p_u += dLoss·q_i + l2Factors·p_u
     *   ∂b_i += dLoss + l2Bias·b_i        ∂q_i += dLoss·p_u + l2Factors·q_i
     * </pre>
     * A row that several events touch receives all their gradients (summed), whatever the order of events.
     */
    void backward(GatheredBatch g, float[] dLoss, float l2Bias, float l2Factors);

    KernelKind kind();

    @Override
    default void close() {
    }
}
