package io.streamrec.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** JVM flags every process that runs Flink code needs, from the one list in the parent pom ({@code jdk.opens}). */
public final class JvmOptions {

    /** JDK 17 closes these packages; Flink's Kryo serialisers reflect into them (docs/ARCHITECTURE.md, "Learned the hard way"). */
    public static final List<String> FLINK_OPENS = load();

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
