package io.streamrec.common.topic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The model families one trainer job trains side by side and one scorer serves, in the order given: the first is the
 * default (what a request without {@code ?model=} gets). The one place that says where a family's output lives, so
 * trainer, scorer and CLI agree: the first family keeps the single-family contract ({@code factors}, metrics sources
 * {@code trainer-N} when it is alone), every further family writes {@code factors-<family>}, and with more than one
 * family every metrics source names its family ({@code mf/trainer-0}). docs/ARCHITECTURE.md, "Topic contracts".
 */
public record ModelFamilies(List<String> ids) {

    /** Family ids as {@code ModelKind.id()} writes them; they become topic-name suffixes and metric labels. */
    private static final String ID = "[a-z0-9][a-z0-9-]*";

    public ModelFamilies {
        ids = List.copyOf(ids);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("at least one model family is needed");
        }
        if (new LinkedHashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("model families must be distinct, got " + String.join(",", ids));
        }
        for (String id : ids) {
            if (!id.matches(ID)) {
                throw new IllegalArgumentException("model family id '" + id + "' must match " + ID);
            }
        }
    }

    /** A comma-separated list such as {@code mf,dlplus,popular}; blanks around the commas are ignored. */
    public static ModelFamilies parse(String csv) {
        return new ModelFamilies(split(csv));
    }

    /** The parts of a comma-separated list, trimmed, not yet checked as ids (callers may normalise them first). */
    public static List<String> split(String csv) {
        List<String> ids = new ArrayList<>();
        for (String part : csv.split(",", -1)) {
            String id = part.trim();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("empty model family in '" + csv + "'");
            }
            ids.add(id);
        }
        return ids;
    }

    public static ModelFamilies single(String id) {
        return new ModelFamilies(List.of(id));
    }

    /** The default family: the first one given. */
    public String first() {
        return ids.get(0);
    }

    /** Whether several families run side by side (and metrics sources name their family). */
    public boolean several() {
        return ids.size() > 1;
    }

    public boolean contains(String id) {
        return ids.contains(id);
    }

    /** {@code mf,popular}: the form the flags take. */
    public String csv() {
        return String.join(",", ids);
    }

    /** The factors topic of {@code family}: {@code factors} for the first, {@code factors-<family>} for the others. */
    public Topic<io.streamrec.common.event.FactorKey, io.streamrec.common.event.FactorRow> factors(Topics topics, String family) {
        if (!contains(family)) {
            throw new IllegalArgumentException("model family '" + family + "' is not one of " + csv());
        }
        return family.equals(first()) ? topics.factors() : topics.factorsOf(family);
    }

    /** Every factors topic of the set, the first family's first. */
    public List<Topic<?, ?>> factorTopics(Topics topics) {
        List<Topic<?, ?>> out = new ArrayList<>();
        for (String id : ids) {
            out.add(factors(topics, id));
        }
        return out;
    }

    /** The metrics source of trainer subtask {@code subtask} of {@code family}: {@code trainer-0} alone, else {@code mf/trainer-0}. */
    public String metricsSource(String family, int subtask) {
        return several() ? family + "/trainer-" + subtask : "trainer-" + subtask;
    }

    /** The family a metrics source names ({@code mf/trainer-0} → mf); empty for single-family sources ({@code trainer-0}). */
    public static Optional<String> familyOfSource(String source) {
        if (source == null) {
            return Optional.empty();
        }
        int slash = source.indexOf('/');
        return slash > 0 ? Optional.of(source.substring(0, slash)) : Optional.empty();
    }
}
