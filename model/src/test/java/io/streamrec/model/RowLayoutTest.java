package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.model.optim.OptimizerKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowLayoutTest {

    @Test
    void widthHoldsBiasVectorAndOptimizerState() {
        assertThat(new RowLayout(32, OptimizerKind.SGD, 0.1f, 1).width()).isEqualTo(34);
        assertThat(new RowLayout(32, OptimizerKind.MOMENTUM, 0.1f, 1).width()).isEqualTo(67);
        assertThat(new RowLayout(32, OptimizerKind.ADAGRAD, 0.1f, 1).width()).isEqualTo(67);
        assertThat(new RowLayout(32, OptimizerKind.RMSPROP, 0.1f, 1).width()).isEqualTo(67);
        assertThat(new RowLayout(32, OptimizerKind.ADAM, 0.1f, 1).width()).isEqualTo(33 * 3 + 2);
        RowLayout adam = new RowLayout(4, OptimizerKind.ADAM, 0.1f, 1);
        assertThat(adam.stateOffset(0)).isEqualTo(5);
        assertThat(adam.stateOffset(1)).isEqualTo(10);
        assertThat(adam.stepOffset()).isEqualTo(15);
        assertThat(adam.countOffset()).isEqualTo(16);
        assertThatThrownBy(() -> adam.stateOffset(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void initialRowsAreAPureFunctionOfSeedKindAndId() {
        RowLayout a = new RowLayout(16, OptimizerKind.ADAGRAD, 0.1f, 7);
        RowLayout b = new RowLayout(16, OptimizerKind.ADAGRAD, 0.1f, 7);
        assertThat(a.newRow(FactorKind.ITEM, 42)).containsExactly(b.newRow(FactorKind.ITEM, 42));
        assertThat(a.newRow(FactorKind.ITEM, 42)).isNotEqualTo(a.newRow(FactorKind.ITEM, 43));
        assertThat(a.newRow(FactorKind.ITEM, 42)).isNotEqualTo(a.newRow(FactorKind.USER, 42));
        assertThat(a.newRow(FactorKind.ITEM, 42)).isNotEqualTo(new RowLayout(16, OptimizerKind.ADAGRAD, 0.1f, 8).newRow(FactorKind.ITEM, 42));
        float[] row = a.newRow(FactorKind.USER, 5);
        assertThat(row[0]).isZero();
        for (int j = a.parameters(); j < a.width(); j++) {
            assertThat(row[j]).as("optimizer state starts at zero").isZero();
        }
    }

    @Test
    void initialVectorsFollowTheConfiguredStd() {
        RowLayout layout = new RowLayout(64, OptimizerKind.SGD, 0.2f, 3);
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (long id = 0; id < 500; id++) {
            float[] row = layout.newRow(FactorKind.USER, id);
            for (int j = 1; j <= 64; j++) {
                sum += row[j];
                sumSq += row[j] * row[j];
                n++;
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        assertThat(mean).isBetween(-0.01, 0.01);
        assertThat(std).isBetween(0.19, 0.21);
    }

    @Test
    void factorRowRoundTripKeepsBiasAndVectorOnly() {
        RowLayout layout = new RowLayout(3, OptimizerKind.ADAM, 0.1f, 1);
        float[] row = new float[layout.width()];
        for (int i = 0; i < row.length; i++) {
            row[i] = i + 0.5f;
        }
        FactorRow fr = layout.toFactorRow(row, 9L, 1234L);
        assertThat(fr.bias()).isEqualTo(0.5f);
        assertThat(fr.vector()).containsExactly(1.5f, 2.5f, 3.5f);
        assertThat(fr.modelVersion()).isEqualTo(9L);
        assertThat(fr.eventTimeMs()).isEqualTo(1234L);
        row[1] = 99f;
        assertThat(fr.vector()[0]).as("factor row is a copy").isEqualTo(1.5f);
    }

    @Test
    void shapeChecksNameTheMismatch() {
        RowLayout layout = new RowLayout(8, OptimizerKind.ADAGRAD, 0.1f, 1);
        assertThatThrownBy(() -> layout.requireShape(new float[10]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 19");
        assertThatThrownBy(() -> new RowLayout(-1, OptimizerKind.SGD, 0.1f, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RowLayout(4, OptimizerKind.SGD, Float.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
