package io.streamrec.trainer;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.topic.ModelFamilies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Remembers which family set a checkpoint directory's checkpoints hold (a {@code families} file beside them) and
 * refuses to resume them under another set. Flink alone would not: a new family's branch has a uid the checkpoint
 * lacks, so it would start empty while the shared ratings source resumes mid-stream, and the new family would never
 * see the events before the restore; a removed family's state would be dropped silently.
 */
public final class CheckpointFamilies {

    static final String FILE = "families";

    private CheckpointFamilies() {
    }

    /** The set recorded in {@code dir}; empty when none was (a fresh directory, or one from before family sets). */
    public static Optional<ModelFamilies> recorded(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ModelFamilies.parse(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + " does not name a family set: " + e.getMessage());
        }
    }

    /**
     * Refuses to resume {@code restoring} checkpoints of {@code dir} with {@code running} when they were taken with
     * another family set, then records {@code running} for the checkpoints this run takes.
     *
     * @param restoring whether the run resumes a checkpoint of {@code dir}
     */
    public static void check(Path dir, ModelFamilies running, boolean restoring) {
        if (restoring) {
            Optional<ModelFamilies> taken = recorded(dir);
            // A directory from before family sets was written by one family: resuming it as that family is the old
            // behaviour (the snapshot's fingerprint check still applies), resuming it as several is not.
            boolean mismatch = taken.map(t -> !t.equals(running)).orElse(running.several());
            if (mismatch) {
                throw new ConfigException("the checkpoints in " + dir + " were taken training "
                        + taken.map(ModelFamilies::csv).orElse("one family") + ", this run trains " + running.csv()
                        + ": start with --fresh (or use another --checkpoint-dir) to train this set from the start"
                        + " of the stream");
            }
        }
        try {
            Files.writeString(dir.resolve(FILE), running.csv() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("recording the family set in " + dir, e);
        }
    }
}
