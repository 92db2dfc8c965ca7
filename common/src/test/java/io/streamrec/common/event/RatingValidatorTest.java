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
    void eventTimesTooFarAheadOfTheClockAreRefused() {
        long now = 1_764_000_000_000L; // late 2025
        RatingValidator hourAhead = new RatingValidator(RatingScale.MOVIELENS_HALF_STARS,
                EventTimeBound.ahead(java.time.Duration.ofHours(1)), () -> now);
        assertThat(hourAhead.check(new Rating(1, 2, 3f, now))).isEmpty();
        assertThat(hourAhead.check(new Rating(1, 2, 3f, now + 3_600_000))).isEmpty();
        assertThat(hourAhead.check(new Rating(1, 2, 3f, 820_454_400_000L))).as("1996: replays are fine").isEmpty();
        assertThat(hourAhead.check(new Rating(1, 2, 3f, now + 3_600_001))).contains(RejectReason.FUTURE_TIMESTAMP);
        assertThat(hourAhead.check(new Rating(1, 2, 3f, now * 1000))).contains(RejectReason.FUTURE_TIMESTAMP);
        assertThat(hourAhead.check(new Rating(1, 2, 3f, Long.MAX_VALUE))).contains(RejectReason.FUTURE_TIMESTAMP);
        assertThat(hourAhead.lastCheckedAtMs()).isEqualTo(now);
        assertThat(new RatingValidator(RatingScale.MOVIELENS_HALF_STARS).check(
                new Rating(1, 2, 3f, System.currentTimeMillis() * 1000))).as("default bound").contains(RejectReason.FUTURE_TIMESTAMP);
        assertThat(new RatingValidator(RatingScale.MOVIELENS_HALF_STARS, new EventTimeBound(Long.MAX_VALUE), () -> now)
                .check(new Rating(1, 2, 3f, Long.MAX_VALUE))).as("no overflow at the widest bound").isEmpty();
    }

    @Test
    void theRefusalSaysWhichUnitTheProducerProbablySent() {
        long now = 1_764_000_000_000L;
        EventTimeBound b = EventTimeBound.DEFAULT;
        assertThat(b.describe(now * 1000, now)).contains("microseconds").contains("2025-11-24").contains("PT24H");
        assertThat(b.describe(now * 1_000_000, now)).contains("nanoseconds");
        assertThat(b.describe(now + 3 * 86_400_000L, now)).contains("3 days").doesNotContain("seconds:");
        assertThatThrownBy(() -> new EventTimeBound(-1)).isInstanceOf(IllegalArgumentException.class);
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
