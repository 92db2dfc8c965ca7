package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.eval.OfflineEvaluation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** How events in one mini-batch interact with the rows they share. */
class BatchSemanticsTest {

    @Test
    void aRowTouchedTwiceInABatchGetsBothGradients() {
        // Plain SGD, batch mode: the row's step is −η·(g1 + g2), g computed with the rows as they stood.
        MfHyperParameters p = TestParams.of("update=batch", "optimizer=sgd", "dim=2", "learning-rate=0.1",
                "bias-learning-rate=0.1", "l2-bias=0", "l2-factors=0", "init-std=0.5", "rating-scale=-10:10");
        OnlineModel model = OnlineModels.create(ModelKind.MF, p);
        RowLayout layout = model.layout();
        float[] user = layout.newRow(FactorKind.USER, 1);
        float[] itemA = layout.newRow(FactorKind.ITEM, 10);
        float[] itemB = layout.newRow(FactorKind.ITEM, 11);
        double mu = model.global().mean();
        double eA = mu + user[0] + itemA[0] + user[1] * itemA[1] + user[2] * itemA[2] - 4.0;
        double eB = mu + user[0] + itemB[0] + user[1] * itemB[1] + user[2] * itemB[2] - 1.0;
        float[] expected = user.clone();
        expected[0] -= 0.1 * (eA + eB);
        expected[1] -= 0.1 * (eA * itemA[1] + eB * itemB[1]);
        expected[2] -= 0.1 * (eA * itemA[2] + eB * itemB[2]);

        RowTable users = new RowTable();
        RowTable items = new RowTable();
        users.put(1, user);
        items.put(10, itemA);
        items.put(11, itemB);
        MiniBatch batch = new MiniBatch(8);
        batch.add(1, 10, 4f, 0);
        batch.add(1, 11, 1f, 0);
        ChangedRows changed = model.learn(batch, users, items);

        for (int j = 0; j < 3; j++) {
            assertThat(users.get(1)[j]).as("parameter %d", j).isCloseTo(expected[j], offset(1e-5f));
        }
        assertThat(layout.count(users.get(1))).isEqualTo(2f);
        assertThat(changed.userCount()).isEqualTo(1);
        assertThat(changed.itemCount()).isEqualTo(2);
        assertThat(changed.userRow(0)).isSameAs(users.get(1));
    }

    @Test
    void batchModeResultsDoNotDependOnTheOrderOfEventsInABatch() {
        OfflineEvaluation.Columns data = PlantedStream.generate(20, 15, 2, 512, 0.3, -1, 9);
        MfHyperParameters p = TestParams.of("update=batch", "batch-size=512");
        RowTable u1 = new RowTable();
        RowTable i1 = new RowTable();
        RowTable u2 = new RowTable();
        RowTable i2 = new RowTable();
        MiniBatch forward = new MiniBatch(512);
        MiniBatch backward = new MiniBatch(512);
        for (int e = 0; e < 512; e++) {
            forward.add(data.users()[e], data.items()[e], data.ratings()[e], e);
            int r = 511 - e;
            backward.add(data.users()[r], data.items()[r], data.ratings()[r], r);
        }
        OnlineModels.create(ModelKind.MF, p).learn(forward, u1, i1);
        OnlineModels.create(ModelKind.MF, p).learn(backward, u2, i2);
        u1.forEach((id, row) -> {
            float[] other = u2.get(id);
            for (int j = 0; j < row.length; j++) {
                // Relative: the AdaGrad accumulators reach the thousands, summed in another order.
                assertThat(other[j]).isCloseTo(row[j], offset(1e-5f * Math.max(1f, Math.abs(row[j]))));
            }
        });
    }

    @Test
    void sequentialModeGivesTheSameModelForEveryBatchSize() {
        OfflineEvaluation.Columns data = PlantedStream.generate(60, 40, 3, 5000, 0.3, -1, 4);
        OfflineEvaluation.Result one = OfflineEvaluation.prequential(OnlineModels.create(ModelKind.MF, TestParams.of("batch-size=1")), data, 0, null);
        OfflineEvaluation.Result many = OfflineEvaluation.prequential(OnlineModels.create(ModelKind.MF, TestParams.of("batch-size=333")), data, 0, null);
        assertThat(many.rmse()).isEqualTo(one.rmse());
        assertThat(many.coldStartShare()).isEqualTo(one.coldStartShare());
        // 60 users + 40 items: at most 100 events can find a row missing.
        assertThat(one.coldStartShare() * data.size()).isBetween(40.0, 100.0);
    }

    @Test
    void batchModePredictsEveryEventWithTheRowsAsTheyStoodBeforeTheBatch() {
        OnlineModel model = OnlineModels.create(ModelKind.MF, TestParams.of("update=batch"));
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        MiniBatch batch = new MiniBatch(4);
        batch.add(1, 1, 5f, 0);
        batch.add(1, 1, 5f, 0);
        model.process(batch, users, items);
        assertThat(batch.coldStart(0)).isTrue();
        assertThat(batch.coldStart(1)).as("row did not exist before the batch").isTrue();
        assertThat(batch.prediction(1)).isEqualTo(batch.prediction(0));
        batch.clear();
        batch.add(1, 1, 5f, 0);
        model.process(batch, users, items);
        assertThat(batch.coldStart(0)).isFalse();

        OnlineModel seq = OnlineModels.create(ModelKind.MF, TestParams.of("update=sequential"));
        RowTable su = new RowTable();
        RowTable si = new RowTable();
        batch.clear();
        batch.add(1, 1, 5f, 0);
        batch.add(1, 1, 5f, 0);
        seq.process(batch, su, si);
        assertThat(batch.coldStart(0)).isTrue();
        assertThat(batch.coldStart(1)).as("learned from the first event already").isFalse();
        assertThat(batch.prediction(1)).isGreaterThan(batch.prediction(0));
    }

    @Test
    void predictAloneChangesNothing() {
        OnlineModel model = OnlineModels.create(ModelKind.MF, MfHyperParameters.defaults());
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        MiniBatch batch = new MiniBatch(4);
        batch.add(1, 2, 4f, 0);
        model.predict(batch, users, items);
        assertThat(users.size()).isZero();
        assertThat(items.size()).isZero();
        assertThat(model.global().count()).isZero();
        assertThat(batch.coldStart(0)).isTrue();
        assertThat(batch.prediction(0)).isEqualTo(2.5f);
    }
}
