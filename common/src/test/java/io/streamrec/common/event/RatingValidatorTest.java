package io.streamrec.common.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatingValidatorTest {

    private final RatingValidator v = new RatingValidator(RatingScale.MOVIELENS_HALF_STARS);

    @Test
    void acceptsRatingsOnTheScale() {
        assertThat(v.check(new Rating(1, 2, 0.5f, 0))).isEmpty();
        assertThat(v.check(new Rating(1, 2, 5f, 0))).isEmpty();
    }

    @Test
    void rejectsEachKindOfBadRatingWithItsReason() {
        assertThat(v.check(new Rating(-1, 2, 3f, 0))).contains(RejectReason.BAD_ID);
        assertThat(v.check(new Rating(1, -2, 3f, 0))).contains(RejectReason.BAD_ID);
        assertThat(v.check(new Rating(1, 2, Float.NaN, 0))).contains(RejectReason.BAD_RATING);
        assertThat(v.check(new Rating(1, 2, Float.POSITIVE_INFINITY, 0))).contains(RejectReason.BAD_RATING);
        assertThat(v.check(new Rating(1, 2, 5.5f, 0))).contains(RejectReason.RATING_OUT_OF_SCALE);
        assertThat(v.check(new Rating(1, 2, 0f, 0))).contains(RejectReason.RATING_OUT_OF_SCALE);
        assertThat(v.check(new Rating(1, 2, 3f, -1))).contains(RejectReason.BAD_TIMESTAMP);
    }

    @Test
    void scaleParsesAndValidates() {
        assertThat(RatingScale.parse("1:5:1")).isEqualTo(RatingScale.FIVE_STARS);
        assertThat(RatingScale.parse("0.5:5")).isEqualTo(new RatingScale(0.5f, 5f, 0f));
        assertThatThrownBy(() -> RatingScale.parse("5:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RatingScale.parse("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RatingScale.FIVE_STARS.clamp(7f)).isEqualTo(5f);
    }
}
