package io.streamrec.scorer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which family answers a request: {@code ?model=} picks one of the families this scorer serves, none picks the
 * default (the first the scorer was started with, or the only one), and an unknown one is a 400 naming the known
 * ones. Each family has its own {@link RecommendationService} over its own rows; nothing here knows a family by name,
 * so a new family needs no code here.
 */
public final class ServedModels {

    private final Map<String, RecommendationService> byFamily;
    private final RecommendationService first;
    /** A scorer started without a family list: it serves whatever family its one factors topic holds. */
    private final boolean unnamed;

    private ServedModels(Map<String, RecommendationService> byFamily, RecommendationService first, boolean unnamed) {
        this.byFamily = byFamily;
        this.first = first;
        this.unnamed = unnamed;
    }

    /** The single-family scorer: {@code ?model=} must name the family {@code service} ranks with now, if given. */
    public static ServedModels only(RecommendationService service) {
        return new ServedModels(Map.of(), service, true);
    }

    /** Several families, the first of {@code byFamily} (in its iteration order) the default. */
    public static ServedModels of(Map<String, RecommendationService> byFamily) {
        if (byFamily.isEmpty()) {
            throw new IllegalArgumentException("no families to serve");
        }
        Map<String, RecommendationService> copy = new LinkedHashMap<>(byFamily);
        return new ServedModels(copy, copy.values().iterator().next(), false);
    }

    /** The default family's service. */
    public RecommendationService first() {
        return first;
    }

    /** The families served, the default first. */
    public List<String> families() {
        return unnamed ? List.of(first.family()) : List.copyOf(byFamily.keySet());
    }

    /** The service for {@code model} ({@code ?model=}); null or blank: the default. */
    public RecommendationService service(String model) {
        if (model == null || model.isBlank()) {
            return first;
        }
        String wanted = model.trim();
        RecommendationService s = unnamed ? (wanted.equals(first.family()) ? first : null) : byFamily.get(wanted);
        if (s == null) {
            throw ApiException.badRequest("unknown model '" + wanted + "': this scorer serves "
                    + String.join(", ", families()));
        }
        return s;
    }
}
