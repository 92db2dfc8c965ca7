package io.streamrec.common.config;

import java.util.Map;

/**
 * The Flink settings that keep an embedded MiniCluster on 127.0.0.1: without them its BlobServer and RPC bind every
 * interface (docs/ARCHITECTURE.md, "Learned the hard way"). One place, shared by the trainer's local cluster and the test fixture, so the two cannot drift.
 * Plain keys, so this module needs no Flink dependency.
 */
public final class LoopbackBinding {

    public static final String HOST = "127.0.0.1";

    public static final Map<String, String> FLINK = Map.of(
            "jobmanager.bind-host", HOST,
            "taskmanager.bind-host", HOST,
            "jobmanager.rpc.address", HOST,
            "taskmanager.host", HOST,
            "rest.bind-address", HOST,
            "rest.address", HOST);

    private LoopbackBinding() {
    }
}
