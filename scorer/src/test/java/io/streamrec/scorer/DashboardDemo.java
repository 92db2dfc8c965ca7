package io.streamrec.scorer;

import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.topic.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Manual check of the dashboard (not a test): embedded broker, the real scorer on 127.0.0.1:{port}, and
 * {@link LiveFixture} replaying ml-100k with a planted drift. Usage: {@code DashboardDemo <port> <ratings/s> <events>}.
 */
public final class DashboardDemo {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path dir = Files.createTempDirectory("dashboard-demo");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            StreamrecConfig config = StreamrecConfig.from(Settings.builder()
                    .put(StreamrecConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(), "demo")
                    .put(StreamrecConfig.DATA_DIR, dir.toString(), "demo").build());
            ScorerOptions options = ScorerOptions.defaults("dashboard-demo", dir).withHttp("127.0.0.1", port)
                    .withPush(10, Duration.ofSeconds(1), Duration.ofMillis(200));
            LiveFixture fixture = LiveFixture.load();
            try (ScorerRuntime scorer = ScorerRuntime.start(config, options)) {
                System.out.println("DASHBOARD http://127.0.0.1:" + scorer.httpPort() + "/ (" + fixture.source + ")");
                fixture.publishMetadata(broker.bootstrapServers(), Topics.defaults());
                fixture.replay(broker.bootstrapServers(), Topics.defaults(), events, rate, events / 2, -1.0f);
                System.out.println("REPLAY DONE");
                Thread.sleep(Long.getLong("linger.ms", 600_000L));
            }
        }
    }
}
