package io.streamrec.options;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The picocli flags every command shares, mixed in with {@code @Mixin}, mapped onto the domain's validated
 * {@link StreamrecConfig} (the domain modules know nothing of picocli). Flags only override what they set, so a
 * properties file ({@code --config}) and {@code STREAMREC_*} environment variables fill in the rest.
 */
public final class ConnectionOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default ${DEFAULT-VALUE} unless set in --config or STREAMREC_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Prefix for every topic name (default none).")
    String topicPrefix;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (keys like bootstrap.servers).")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, description = "Log more (INFO for our code, and Kafka/Flink warnings with detail).")
    boolean verbose;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other setting, e.g. --set kafka.linger.ms=5.")
    Map<String, String> extra = new LinkedHashMap<>();

    public boolean verbose() {
        return verbose;
    }

    /** The merged settings: file, then environment, then these flags. */
    public Settings settings() {
        Map<String, String> flags = new LinkedHashMap<>(extra);
        if (bootstrapServers != null) {
            flags.put(StreamrecConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (topicPrefix != null) {
            flags.put(StreamrecConfig.TOPIC_PREFIX, topicPrefix);
        }
        return Settings.load(configFile, System.getenv(), flags);
    }

    public StreamrecConfig config() {
        return StreamrecConfig.from(settings());
    }
}
