package io.streamrec.scorer;

/**
 * Whether the trainer looks alive from where the scorer sits. It is heard from through its metrics reports (their
 * wall time, the trainer's own clock, so a scorer restart that replays old reports does not make a dead trainer look
 * fresh) and through the factor rows the scorer applies. Quiet alone is normal when no ratings arrive; quiet while
 * ratings keep arriving means the model goes stale: {@code SILENT}, and /health says DEGRADED (still serving the
 * last model, so still 200).
 *
 * @param status          OK; IDLE (quiet, and so are the ratings); SILENT (quiet for {@code silentAfterMs} while
 *                        ratings arrive); UNKNOWN (not heard from yet, and not for long enough to say more)
 * @param lastHeardAgeMs  since the newest metrics report or applied factor row; null when never
 * @param lastRatingAgeMs since the scorer last processed a rating; null when never
 * @param silentAfterMs   how long the trainer may be quiet while ratings arrive
 */
public record TrainerHealth(String status, Long lastHeardAgeMs, Long lastRatingAgeMs, long silentAfterMs) {

    /** Above the trainer's checkpoint interval (factor rows become visible at checkpoints) and its report cadence. */
    public static final long SILENT_AFTER_MS = 60_000;

    public boolean silent() {
        return status.equals("SILENT");
    }

    /**
     * @param lastReportWallMs newest metrics report's wall time (0: none)
     * @param lastFactorMs     when the newest factor row was applied here (0: none)
     * @param firstRatingMs    when this scorer processed its first rating (0: none)
     * @param lastRatingMs     when it processed its newest rating (0: none)
     */
    public static TrainerHealth assess(long nowMs, long lastReportWallMs, long lastFactorMs, long firstRatingMs,
                                       long lastRatingMs, long silentAfterMs) {
        long heard = Math.max(lastReportWallMs, lastFactorMs);
        Long heardAge = heard == 0 ? null : Math.max(0, nowMs - heard);
        Long ratingAge = lastRatingMs == 0 ? null : Math.max(0, nowMs - lastRatingMs);
        boolean ratingsArriving = ratingAge != null && ratingAge < silentAfterMs;
        // A trainer never heard from is quiet since the first rating that it should have learned from.
        long quietSince = heard != 0 ? heard : firstRatingMs;
        String status;
        if (ratingsArriving && quietSince != 0 && nowMs - quietSince >= silentAfterMs) {
            status = "SILENT";
        } else if (heardAge == null) {
            status = "UNKNOWN";
        } else if (heardAge >= silentAfterMs) {
            status = "IDLE";
        } else {
            status = "OK";
        }
        return new TrainerHealth(status, heardAge, ratingAge, silentAfterMs);
    }
}
