package io.streamrec.ingest.replay;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Shows replay progress: a terminal progress bar (events/s, ETA) or plain periodic log lines. */
abstract class Progress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

    abstract void update(long sent, long taken);

    @Override
    public abstract void close();

    static Progress create(ProgressMode mode, long total, Duration logInterval, String verb) {
        ProgressMode m = mode;
        if (m == ProgressMode.AUTO) {
            m = System.console() != null ? ProgressMode.BAR : ProgressMode.LOG;
        }
        return switch (m) {
            case BAR -> new Bar(total);
            case LOG -> new Lines(total, logInterval.toNanos(), verb);
            default -> new Progress() {
                @Override
                void update(long sent, long taken) {
                }

                @Override
                public void close() {
                }
            };
        };
    }

    /** The progress bar library redraws at its own pace; calling it per event would cost more than sending. */
    private static final class Bar extends Progress {
        private final ProgressBar bar;
        private long lastNanos;

        Bar(long total) {
            bar = new ProgressBarBuilder().setTaskName("ingest").setInitialMax(total < 0 ? -1 : total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                    .setSpeedUnit(ChronoUnit.SECONDS).setUnit(" ev", 1).build();
        }

        private long latest;

        @Override
        void update(long sent, long taken) {
            latest = sent;
            long now = System.nanoTime();
            if (now - lastNanos > 50_000_000L) {
                lastNanos = now;
                bar.stepTo(sent);
            }
        }

        @Override
        public void close() {
            bar.stepTo(latest);
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private final long total;
        private final long intervalNanos;
        private final long start = System.nanoTime();
        private long next;
        private long lastSent;
        private long lastNanos = start;
        private long calls;

        private final String verb;

        Lines(long total, long intervalNanos, String verb) {
            this.verb = verb;
            this.total = total;
            this.intervalNanos = intervalNanos;
            this.next = start + intervalNanos;
        }

        @Override
        void update(long sent, long taken) {
            if ((++calls & 1023) != 0 && sent != total) {
                return; // read the clock every 1024 events only
            }
            long now = System.nanoTime();
            if (now < next) {
                return;
            }
            next = now + intervalNanos;
            double rate = (sent - lastSent) * 1e9 / Math.max(1, now - lastNanos);
            lastSent = sent;
            lastNanos = now;
            if (total > 0) {
                double overall = sent * 1e9 / Math.max(1, now - start);
                long etaS = overall > 0 ? (long) ((total - sent) / overall) : -1;
                LOG.info("{}", String.format(Locale.ROOT, "%s %,d / %,d (%.1f%%) at %,.0f events/s, ETA %s",
                        verb, sent, total, 100.0 * sent / total, rate, etaS < 0 ? "?" : Duration.ofSeconds(etaS).toString().substring(2)));
            } else {
                LOG.info("{}", String.format(Locale.ROOT, "%s %,d at %,.0f events/s", verb, sent, rate));
            }
        }

        @Override
        public void close() {
        }
    }
}
