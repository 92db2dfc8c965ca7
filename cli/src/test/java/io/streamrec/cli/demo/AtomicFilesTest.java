package io.streamrec.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /**
     * A reader polling for the report (as DemoEndToEndIT does) must never parse half of it: with a plain write it
     * sees a truncated file within a few rewrites of a report this size.
     */
    @Test
    void aWatcherSeesNoFileOrAWholeOneNeverAPartialOne() throws Exception {
        Path report = tmp.resolve("report.json");
        AtomicBoolean done = new AtomicBoolean();
        List<String> torn = new ArrayList<>();
        CompletableFuture<Integer> watcher = CompletableFuture.supplyAsync(() -> {
            int wholeReads = 0;
            while (!done.get()) {
                try {
                    byte[] b = Files.readAllBytes(report);
                    JsonNode r = JSON.readTree(b);
                    if (r == null || !r.has("end")) {
                        torn.add("no end marker in " + b.length + " bytes");
                    } else {
                        wholeReads++;
                    }
                } catch (NoSuchFileException notYet) {
                    // No file is one of the two allowed states.
                } catch (IOException e) {
                    torn.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            return wholeReads;
        });
        try {
            for (int round = 0; round < 40; round++) {
                AtomicFiles.write(report, JSON.writeValueAsBytes(report(round)));
            }
        } finally {
            done.set(true);
        }
        int wholeReads = watcher.get();
        assertThat(torn).as("partial reads").isEmpty();
        assertThat(wholeReads).as("the watcher read the report at all").isPositive();
        assertThat(JSON.readTree(report.toFile()).get("round").asInt()).isEqualTo(39);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left behind").containsExactly("report.json");
        }
    }

    /** About 2 MB of JSON, ending in a marker field that only a complete file has. */
    private static ObjectNode report(int round) {
        ObjectNode r = JSON.createObjectNode();
        r.put("round", round);
        ArrayNode a = r.putArray("freshnessMs");
        for (int i = 0; i < 200_000; i++) {
            a.add(i * 31L + round);
        }
        r.put("end", true);
        return r;
    }
}
