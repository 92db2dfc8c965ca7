package io.streamrec.cli.demo;

/** The running demo: its four child processes, the broker's address and the scorer's HTTP API. */
public record DemoStack(ManagedProcess broker, ManagedProcess replay, ManagedProcess trainer, ManagedProcess scorerProcess,
                        String bootstrap, ScorerClient scorer) {
}
