package io.streamrec.gpu;

/** The activations of the dense step; {@link #code} is what the CUDA kernels switch on. */
public enum Activation {
    IDENTITY(0), RELU(1), SIGMOID(2), TANH(3);

    public final int code;

    Activation(int code) {
        this.code = code;
    }

    /** f(z), in float as the device computes it. */
    public float apply(float z) {
        return switch (this) {
            case IDENTITY -> z;
            case RELU -> z > 0f ? z : 0f;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-z)));
            case TANH -> (float) Math.tanh(z);
        };
    }

    /** f'(z) from z. */
    public float derivative(float z) {
        return switch (this) {
            case IDENTITY -> 1f;
            case RELU -> z > 0f ? 1f : 0f;
            case SIGMOID -> {
                float s = apply(z);
                yield s * (1f - s);
            }
            case TANH -> {
                float t = apply(z);
                yield 1f - t * t;
            }
        };
    }
}
