package io.streamrec.trainer.snapshot;

import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.eval.PrequentialEvaluator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one subtask takes from the snapshots of all old subtasks (union state: everyone gets every blob), whatever
 * the old and new parallelism:
 * <ul>
 *   <li>the item table and global statistics of the lowest old subtask ({@link #base}): every snapshot holds the same
 *       logical table (own in-flight deltas subtracted), so all new subtasks start from identical copies;</li>
 *   <li>counts that stay exact across rescaling: subtask i continues old subtask i, subtask 0 also takes the counts of
 *       old subtasks that no longer exist (whose metrics sources it then retires);</li>
 *   <li>the prequential evaluator of old subtask i, when it had one and its count is consistent;</li>
 *   <li>every old origin's last published delta sequence, for the exchange's filter;</li>
 *   <li>the dense parameters averaged over every old subtask's copy (parameter averaging: each copy learned from its
 *       own users, so the mean keeps what all of them learned; identical copies average to themselves).</li>
 * </ul>
 */
public record RestorePlan(TrainerSnapshot base, int snapshots, long trained, long batches, List<String> retiredSources,
                          Map<String, Long> lastSequenceByOrigin, PrequentialEvaluator.State evaluator,
                          Optional<DenseParameters> dense) {

    /** The plan for new subtask {@code subtask} of {@code parallelism}; empty when there is nothing to restore. */
    public static Optional<RestorePlan> of(List<TrainerSnapshot> snapshots, int subtask, int parallelism) {
        return of(snapshots, subtask, parallelism, s -> "trainer-" + s);
    }

    /** As {@link #of(List, int, int)}, with retired subtasks' metrics sources named by {@code sourceOf}. */
    public static Optional<RestorePlan> of(List<TrainerSnapshot> snapshots, int subtask, int parallelism,
                                           java.util.function.IntFunction<String> sourceOf) {
        if (snapshots.isEmpty()) {
            return Optional.empty();
        }
        TrainerSnapshot base = snapshots.stream().min(Comparator.comparingInt(TrainerSnapshot::subtask)).orElseThrow();
        long trained = 0;
        long batches = 0;
        List<String> retired = new ArrayList<>();
        Map<String, Long> origins = new HashMap<>();
        for (TrainerSnapshot s : snapshots) {
            origins.put(s.origin(), s.lastDeltaSequence());
            if (s.subtask() == subtask || (subtask == 0 && s.subtask() >= parallelism)) {
                trained += s.trained();
                batches += s.batches();
                if (s.subtask() != subtask) {
                    retired.add(sourceOf.apply(s.subtask()));
                }
            }
        }
        long total = trained;
        PrequentialEvaluator.State evaluator = snapshots.stream()
                .filter(s -> s.subtask() == subtask && s.evaluator() != null).findFirst()
                .map(TrainerSnapshot::evaluator).filter(e -> e.count() <= total).orElse(null);
        List<DenseParameters> copies = new ArrayList<>();
        for (TrainerSnapshot s : snapshots) {
            if (s.dense().length > 0) {
                copies.add(DenseCodec.decode(s.dense(), base.fingerprint()));
            }
        }
        Optional<DenseParameters> dense = copies.isEmpty() ? Optional.empty() : Optional.of(DenseParameters.average(copies));
        return Optional.of(new RestorePlan(base, snapshots.size(), trained, batches, List.copyOf(retired), Map.copyOf(origins),
                evaluator, dense));
    }
}
