package io.streamrec.scorer.index;

import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.model.RatingOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * How raw scan scores become served ratings, frozen at one GLOBAL record: use {@link #mean()} as the offset of
 * the scan and {@link #serve} on its results, so both come from the same μ.
 *
 * @param output null when the trainer published no transform (an older trainer): raw μ + x is served, unclamped,
 *               because guessing a scale could be as wrong as none
 */
public record Serving(float mean, RatingOutput.Published output) {

    /** The served rating for a raw score μ + b_u + b_i + p·q. */
    public float serve(float raw) {
        return output == null ? raw : output.serve(mean, raw - mean);
    }

    /**
     * The list with served scores, in the scan's order. The transform is monotone non-decreasing, so ranking on raw
     * scores is ranking on served ones; where clamping (or the sigmoid saturating in float) makes served scores tie,
     * the raw order is kept: the model still prefers the first, and the served scores stay non-increasing.
     */
    public List<ScoredItem> serve(List<ScoredItem> raw) {
        if (output == null) {
            return raw;
        }
        List<ScoredItem> out = new ArrayList<>(raw.size());
        for (ScoredItem s : raw) {
            out.add(new ScoredItem(s.item(), serve(s.score())));
        }
        return out;
    }
}
