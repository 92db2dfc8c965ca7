package io.streamrec.cli.demo;

/**
 * The running demo: its child processes, the broker's address and the first scorer's HTTP API ({@code moreScorers}:
 * the other instances of the same scorer application with {@code --scorers N}; any of them answers every request).
 */
public record DemoStack(ManagedProcess broker, ManagedProcess replay, ManagedProcess trainer, ManagedProcess scorerProcess,
                        String bootstrap, ScorerClient scorer, java.util.List<ManagedProcess> moreScorers) {

    public DemoStack {
        moreScorers = java.util.List.copyOf(moreScorers);
    }

    /** The trainer and every scorer instance: the processes that must stay alive. */
    public java.util.List<ManagedProcess> services() {
        java.util.List<ManagedProcess> all = new java.util.ArrayList<>(java.util.List.of(trainer, scorerProcess));
        all.addAll(moreScorers);
        return all;
    }
}
