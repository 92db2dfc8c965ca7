package io.streamrec.ingest;

import io.streamrec.common.event.Rating;

import java.util.ArrayList;
import java.util.List;

final class RatingColumnsTestSupport {
    private RatingColumnsTestSupport() {
    }

    static List<Rating> list(RatingColumns c) {
        List<Rating> out = new ArrayList<>();
        c.forEach(out::add);
        return out;
    }
}
