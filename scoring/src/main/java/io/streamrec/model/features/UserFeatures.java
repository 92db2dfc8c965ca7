package io.streamrec.model.features;

/** A user's demographics as bucket indices ({@link FeatureEncoder}), each -1 when the dataset does not say. */
public record UserFeatures(int gender, int age, int occupation) {

    /** {@code [gender, age, occupation]}: a plain int[] for Flink state and records. */
    public int[] pack() {
        return new int[]{gender, age, occupation};
    }

    public static UserFeatures unpack(int[] p) {
        if (p.length != 3) {
            throw new IllegalArgumentException("not packed user features: " + p.length + " ints");
        }
        return new UserFeatures(p[0], p[1], p[2]);
    }

    public boolean isEmpty() {
        return gender < 0 && age < 0 && occupation < 0;
    }
}
