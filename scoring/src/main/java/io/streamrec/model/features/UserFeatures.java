package io.streamrec.model.features;

/** A user's demographics as bucket indices ({@link FeatureEncoder}), each -1 when the dataset does not say. */
public record UserFeatures(int gender, int age, int occupation) {

    public boolean isEmpty() {
        return gender < 0 && age < 0 && occupation < 0;
    }
}
