package io.streamrec.scorer;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowTable;
import io.streamrec.model.UAutoRecHyperParameters;
import io.streamrec.model.UAutoRecModel;
import io.streamrec.model.dense.UAutoRecScorer;
import io.streamrec.scorer.index.ItemIndex;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * U-AutoRec served by the scorer's index: with the published item rows, μ and the encoder bias in force, a user's
 * published history becomes a query row whose dot-product scan scores every item as the trainer predicts it (within
 * 1e-4), so the top-K is the trainer's ranking.
 */
class UAutoRecServedScoreParityTest {

    @Test
    void theScanOverTheQueryRowScoresAsTheTrainerPredicts() {
        UAutoRecHyperParameters p = UAutoRecHyperParameters.defaults().withShape(8, 10).withBatchSize(32);
        UAutoRecModel model = new UAutoRecModel(p);
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        MiniBatch b = new MiniBatch(p.batchSize());
        SplittableRandom rnd = new SplittableRandom(12);
        for (int step = 0; step < 60; step++) {
            b.clear();
            for (int e = 0; e < p.batchSize(); e++) {
                b.add(rnd.nextInt(40), 100 + rnd.nextInt(30), 1 + rnd.nextInt(5), e);
            }
            model.process(b, users, items);
        }
        ItemIndex index = new ItemIndex();
        items.forEach((id, row) -> index.upsert(id, model.layout().toFactorRow(row, 1, 0)));
        float mean = (float) model.global().mean();
        index.setGlobalMean(mean, 1);
        Map<Long, FactorRow> published = new HashMap<>();
        users.forEach((id, row) -> published.put(id, model.userFactorRow(row, 1, 0)));

        // Without U-AutoRec weights in force a history row is passed through unchanged.
        FactorRow any = published.values().iterator().next();
        assertThat(index.servingRow(any)).isSameAs(any);
        assertThat(index.model().family()).as("before the encoder bias arrives, the scan ranks as MF").isEqualTo("mf");
        index.setUAutoRec(new UAutoRecScorer(model.denseParameters().orElseThrow().weightsOnly()), 7);
        // Lists name the family whose predictions they are, though U-AutoRec ranks through MF's scan.
        assertThat(index.model().family()).isEqualTo("u-autorec");
        assertThat(index.model().steps()).isEqualTo(7);

        int compared = 0;
        for (long user = 0; user < 40; user++) {
            FactorRow q = index.servingRow(published.get(user));
            if (q == null) {
                continue;
            }
            assertThat(q.vector()).hasSize(2 * p.hidden());
            List<ScoredItem> all = index.topK(q.vector(), 1f, mean + q.bias(), 30, new long[0]);
            assertThat(all).hasSize(30);
            b.clear();
            for (ScoredItem s : all) {
                b.add(user, s.item(), 3f, 0);
            }
            model.predict(b, users, items);
            for (int e = 0; e < b.size(); e++) {
                assertThat(p.ratingScale().clamp(all.get(e).score())).as("user " + user + " item " + b.item(e))
                        .isCloseTo(b.prediction(e), within(1e-4f));
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(30);
    }
}
