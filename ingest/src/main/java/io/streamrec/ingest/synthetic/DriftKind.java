package io.streamrec.ingest.synthetic;

/** What changes at the scheduled drift point of a synthetic stream. */
public enum DriftKind {
    /** No drift. */
    NONE,
    /** A share of users get new taste vectors and biases: their old factors stop predicting them. */
    USER_TASTE,
    /** A share of items have their bias reversed (and jittered): yesterday's favourites fall out of favour. */
    ITEM_BIAS,
    /** Both of the above. */
    BOTH
}
