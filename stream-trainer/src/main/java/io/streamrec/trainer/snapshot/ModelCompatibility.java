package io.streamrec.trainer.snapshot;

import io.streamrec.model.OnlineModel;

/**
 * Refuses to continue a checkpoint under a model it was not written by. Rows of AdaGrad, RMSProp and momentum have the
 * same width, so without this a restore under another optimizer (or family, or dimension with the same width) would
 * silently reinterpret the optimizer state as something else.
 */
public final class ModelCompatibility {

    private ModelCompatibility() {
    }

    /**
     * Snapshots before format 3 carry no fingerprint; they were all written by biased MF, whose rows are still checked
     * by width.
     *
     * @throws IncompatibleCheckpointException naming both fingerprints when {@code snapshot} is another model's */
    public static void check(TrainerSnapshot snapshot, OnlineModel model) {
        String written = snapshot.fingerprint();
        String configured = model.fingerprint();
        if (written != null && !written.equals(configured)) {
            throw new IncompatibleCheckpointException("the checkpoint was written by model '" + written
                    + "' but this job is configured as '" + configured + "': restore with the settings it was written "
                    + "with, or start over with --fresh (a new checkpoint directory)");
        }
    }

    /** A checkpoint of another model: a configuration error, never to be retried into a silent reinterpretation. */
    public static final class IncompatibleCheckpointException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public IncompatibleCheckpointException(String message) {
            super(message);
        }
    }
}
