package io.streamrec.gpu;

/**
 * One fully connected layer's training step, y = act(x·W + b) with W {@code in × out}, row-major: forward, backward
 * (input gradient returned, weight and bias gradients kept), Adam. Two implementations are held to each other: {@link
 * JavaDenseLayer} (the reference and the CPU figure) and {@link CudaDenseLayer} (cuBLAS GEMMs plus NVRTC kernels).
 */
public interface DenseLayer extends AutoCloseable {

    int in();

    int out();

    /** Sets W ({@code in*out}) and b ({@code out}) and resets the optimizer state. */
    void setParameters(float[] w, float[] b);

    /** {@code y[n*out]} for the batch {@code x[n*in]}; keeps what backward needs. */
    float[] forward(float[] x, int n);

    /** From {@code dy[n*out]} of the last forward: returns dx {@code [n*in]}, keeps ∂W and ∂b. */
    float[] backward(float[] dy);

    /** One Adam step on W and b with the gradients of the last backward. */
    void adamStep(float lr, float beta1, float beta2, float epsilon);

    float[] weights();

    float[] bias();

    float[] weightGradient();

    float[] biasGradient();

    @Override
    default void close() {
    }
}
