package io.streamrec.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The demo's data directory holds Kafka topics, checkpoints and scorer state built from one dataset; replaying another
 * into them trains one model on both (two catalogues' item ids mixed, one's titles on the other's items). The
 * directory records its dataset in {@value #FILE} when it starts fresh, and each later run checks that file first.
 */
public final class DataDirManifest {

    public static final String FILE = "dataset.json";
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a run does with the data directory, and what to tell the user when it is not an ordinary reuse. */
    public record Decision(Action action, String message) {
    }

    public enum Action {
        /** Nothing there yet: start it and record the dataset. */
        CREATE,
        /** Same dataset: continue with what is there. */
        REUSE,
        /** Something else is there: delete it, then start it and record the dataset. */
        START_FRESH,
        /** Files the demo did not write: deleting them is the user's call ({@code --fresh} or another {@code --data-dir}). */
        REFUSE
    }

    /** What the demo writes into its data directory; anything else there is not ours to delete. */
    static final java.util.Set<String> DEMO_ENTRIES = java.util.Set.of("kafka", "checkpoints", "scorer-state", "logs", FILE);

    /** The manifest's content on disk: a format number, so a later layout can be told apart. */
    record Manifest(int format, DatasetIdentity dataset) {
    }

    private DataDirManifest() {
    }

    public static Decision decide(Path dataDir, DatasetIdentity wanted) {
        if (isEmpty(dataDir)) {
            return new Decision(Action.CREATE, null);
        }
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            if (!onlyDemoEntries(dataDir)) {
                return new Decision(Action.REFUSE, "data directory " + dataDir + " holds files the demo did not write;"
                        + " pass --fresh to delete it, or choose another --data-dir");
            }
            return new Decision(Action.START_FRESH, "data directory " + dataDir + " holds no record of its dataset"
                    + " (written by an older streamrec?); starting fresh for " + wanted.name());
        }
        Manifest held;
        try {
            held = JSON.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            return new Decision(Action.START_FRESH, "data directory " + dataDir + " has an unreadable " + FILE + " ("
                    + e.getClass().getSimpleName() + "); starting fresh for " + wanted.name());
        }
        if (held.format() != FORMAT || held.dataset() == null) {
            return new Decision(Action.START_FRESH, "data directory " + dataDir + " has a " + FILE + " of format "
                    + held.format() + "; starting fresh for " + wanted.name());
        }
        if (held.dataset().fingerprint().equals(wanted.fingerprint())) {
            return new Decision(Action.REUSE, null);
        }
        String heldName = held.dataset().name().equals(wanted.name())
                ? held.dataset().name() + " (other content: " + held.dataset().source() + ")" : held.dataset().name();
        return new Decision(Action.START_FRESH, "data directory held " + heldName + "; starting fresh for " + wanted.name());
    }

    public static void write(Path dataDir, DatasetIdentity dataset) throws IOException {
        AtomicFiles.write(dataDir.resolve(FILE), JSON.writeValueAsBytes(new Manifest(FORMAT, dataset)));
    }

    private static boolean onlyDemoEntries(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .allMatch(n -> DEMO_ENTRIES.contains(n) || (n.startsWith("." + FILE + ".") && n.endsWith(".tmp")));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
