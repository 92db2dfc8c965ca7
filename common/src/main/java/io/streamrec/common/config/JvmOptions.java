package io.streamrec.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** JVM flags every process that runs Flink code needs, from the one list in the parent pom ({@code jdk.opens}), and the SIMD flag. */
public final class JvmOptions {

    /** JDK 17 closes these packages; Flink's Kryo serialisers reflect into them (docs/ARCHITECTURE.md, "Learned the hard way"). */
    public static final List<String> FLINK_OPENS = load();

    /**
     * JDK 17's vector API, an incubator module: DL+'s whole-catalogue scoring (the scorer's top-K, the trainer's
     * prequential ranking) runs its SIMD loops with it and scalar ones, to the same floats, without it.
     */
    public static final String SIMD = "--add-modules=jdk.incubator.vector";

    private JvmOptions() {
    }

    private static List<String> load() {
        Properties p = new Properties();
        try (InputStream in = JvmOptions.class.getResourceAsStream("jvm-options.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-options.properties is missing from streamrec-common: a broken build");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String opens = p.getProperty("flink.opens", "");
        if (!opens.startsWith("--add-opens")) {
            throw new IllegalStateException("jvm-options.properties was not filtered by the build: '" + opens + "'");
        }
        return List.copyOf(Arrays.stream(opens.trim().split("\\s+")).toList());
    }
}
