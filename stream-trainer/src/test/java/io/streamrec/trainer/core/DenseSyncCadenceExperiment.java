package io.streamrec.trainer.core;

import io.streamrec.common.event.Rating;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.Incarnation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A measurement, not a check (run with {@code -Dstreamrec.measure=true -Dtest=DenseSyncCadenceExperiment}): DL+ at
 * "parallelism 2" without Flink, two {@link TrainerCore}s on the users of each half of one stream, exchanging item
 * deltas every batch and dense weights every k of their batches (messages delivered at once), against one core on the
 * whole stream. Reports the combined prequential RMSE and how far apart the two networks are before their last sync.
 */
class DenseSyncCadenceExperiment {

    @Test
    void syncCadence() {
        Assumptions.assumeTrue(Boolean.getBoolean("streamrec.measure"), "a measurement: -Dstreamrec.measure=true");
        int n = Integer.getInteger("streamrec.measure.events", 200_000);
        for (int seed : new int[]{91, 92}) {
            List<Rating> ratings = SyntheticStream.planted(n, 2_000, 1_000, seed);
            System.out.printf("MEASURE seed %d p=1: prequential RMSE %.4f%n", seed, runAlone(ratings));
            for (int k : new int[]{1, 4, 16, 64, -1}) {
                long t0 = System.nanoTime();
                double[] r = runPair(ratings, k);
                System.out.printf("MEASURE seed %d p=2 items every batch, weights every %s batches: prequential RMSE %.4f, "
                                + "weights RMS apart %.5f, %d averages, %.1f s%n", seed, k < 0 ? "never" : Integer.toString(k),
                        r[0], r[1], (long) r[2], (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static TrainerSettings settings(boolean exchange, long intervalMs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MfHyperParameters.Keys.TYPE, "dlplus");
        return new TrainerSettings(m, 1_000_000, exchange, intervalMs, false, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "x");
    }

    private static double runAlone(List<Rating> ratings) {
        TrainerCoreTest.Host h = new TrainerCoreTest.Host();
        TrainerSettings s = settings(false, 1);
        TrainerCore c = new TrainerCore(s.createModel(), s, new Incarnation("x", 0, 0), h.users, h, h, h);
        ratings.forEach(c::add);
        c.flushAll();
        return c.lastReport().cumulativeRmse();
    }

    /**
     * Item deltas every batch of a core; its weights every k batches (only its latest weights message is delivered
     * then), never when k is negative.
     */
    private static double[] runPair(List<Rating> ratings, int k) {
        int batch = MfHyperParameters.defaults().batchSize();
        // The clock ticks once per event of the whole stream; a core closes a batch about every 2 × batch ticks.
        TrainerSettings s = settings(true, 2L * batch);
        TrainerCoreTest.Host[] h = {new TrainerCoreTest.Host(), new TrainerCoreTest.Host()};
        TrainerCore[] c = new TrainerCore[2];
        long[] weightsSentAt = new long[2];
        long averages = 0;
        for (int i = 0; i < 2; i++) {
            c[i] = new TrainerCore(s.createModel(), s, new Incarnation("x", 0, i), h[i].users, h[i], h[i], h[i]);
        }
        for (Rating r : ratings) {
            h[0].now++;
            h[1].now++;
            c[(int) (r.user() & 1)].add(r);
            for (int i = 0; i < 2; i++) {
                List<ExchangeMessage> out = new ArrayList<>(h[i].deltas);
                h[i].deltas.clear();
                long batches = c[i].trainedCount() / batch;
                if (k > 0 && !h[i].weights.isEmpty() && batches - weightsSentAt[i] >= k) {
                    out.add(h[i].weights.get(h[i].weights.size() - 1));
                    weightsSentAt[i] = batches;
                    averages++;
                }
                if (k < 0 || !h[i].weights.isEmpty() && weightsSentAt[i] == batches) {
                    h[i].weights.clear();
                }
                out.forEach(c[1 - i]::applyDelta);
            }
        }
        double apart = rmsApart(weights(c[0]), weights(c[1]));
        for (int i = 0; i < 2; i++) {
            c[i].flushAll();
        }
        long n0 = c[0].lastReport().count();
        long n1 = c[1].lastReport().count();
        double r0 = c[0].lastReport().cumulativeRmse();
        double r1 = c[1].lastReport().cumulativeRmse();
        return new double[]{Math.sqrt((n0 * r0 * r0 + n1 * r1 * r1) / (n0 + n1)), apart, averages};
    }

    private static DenseParameters weights(TrainerCore c) {
        return c.model().denseParameters().orElseThrow().weightsOnly();
    }

    private static double rmsApart(DenseParameters a, DenseParameters b) {
        double sum = 0;
        long count = 0;
        for (DenseParameters.Tensor t : a.tensors()) {
            float[] x = t.values();
            float[] y = b.tensor(t.name()).values();
            for (int i = 0; i < x.length; i++) {
                sum += (x[i] - y[i]) * (x[i] - y[i]);
                count++;
            }
        }
        return Math.sqrt(sum / count);
    }
}
