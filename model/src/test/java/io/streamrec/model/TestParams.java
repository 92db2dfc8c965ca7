package io.streamrec.model;

import io.streamrec.common.config.Settings;

import java.util.LinkedHashMap;
import java.util.Map;

/** Hyperparameters for tests from "key=value" pairs on top of the defaults. */
final class TestParams {

    static MfHyperParameters of(String... keyValues) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String kv : keyValues) {
            String[] p = kv.split("=", 2);
            flags.put("model." + p[0], p[1]);
        }
        return MfHyperParameters.fromSettings(Settings.builder().flags(flags).build());
    }

    private TestParams() {
    }
}
