package io.streamrec.ingest.replay;

import io.streamrec.ingest.LoadOptions;
import io.streamrec.ingest.synthetic.SyntheticConfig;

import java.nio.file.Path;
import java.util.Objects;

/** What a replay reads: a dataset on disk or a synthetic stream. */
public sealed interface ReplaySource {

    /** A dataset directory, file or archive, read with {@code options} (format, scale, memory budget, rejects). */
    record Dataset(Path path, LoadOptions options) implements ReplaySource {
        public Dataset {
            Objects.requireNonNull(path, "path");
            options = options == null ? LoadOptions.defaults() : options;
        }
    }

    /** A synthetic stream; {@code truthFile} (nullable) receives its true parameters before the replay starts. */
    record Synthetic(SyntheticConfig config, Path truthFile) implements ReplaySource {
        public Synthetic {
            Objects.requireNonNull(config, "config");
        }
    }
}
