package io.streamrec.model.autorec;

/**
 * The dense math of a one-hidden-layer rating autoencoder (AutoRec, Sedhain et al. 2015) behind one small seam, so
 * a GPU implementation can replace the ND4J one without touching the model: out = W·sigmoid(V·x + b) + c, trained on
 * the squared error masked to the observed entries of x plus λ/2 (‖W‖² + ‖V‖²).
 *
 * <p>Batches are row-major {@code rows × width()} float arrays: an input row is one item's (I-AutoRec) vector of
 * ratings with 0 where unobserved, the mask row holds 1 where the rating was observed. Not thread-safe.
 */
public interface AutoencoderKernel {

    /** Length of an input (and output) vector. */
    int width();

    /** Units of the sigmoid code layer. */
    int hidden();

    /**
     * One optimizer step on a batch.
     *
     * @param regularizationShare the share of the whole objective's L2 term this batch carries (batch rows / all
     *                            rows), so one epoch of steps adds up to the paper's objective once
     * @return the batch's masked sum of squared errors before the step
     */
    double step(float[] input, float[] mask, int rows, double regularizationShare);

    /** The objective's gradients at the current weights, without stepping (gradient checks). */
    Gradients gradients(float[] input, float[] mask, int rows, double regularizationShare);

    /** The objective (masked squared error + the L2 share) at the current weights. */
    double loss(float[] input, float[] mask, int rows, double regularizationShare);

    /** Reconstructions of {@code rows} inputs into {@code out} ({@code rows × width()}). */
    void reconstruct(float[] input, int rows, float[] out);

    /** The weights, row-major copies: encoder V [hidden × width], b [hidden], decoder W [width × hidden], c [width]. */
    Weights weights();

    /** Replaces the weights (gradient checks perturb one entry at a time). */
    void setWeights(Weights weights);

    /** Weights of the autoencoder, row-major. */
    record Weights(float[] encoder, float[] encoderBias, float[] decoder, float[] decoderBias) {
    }

    /** Gradients of the objective, in {@link Weights}' layout. */
    record Gradients(double[] encoder, double[] encoderBias, double[] decoder, double[] decoderBias) {
    }
}
