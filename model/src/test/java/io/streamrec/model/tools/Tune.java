package io.streamrec.model.tools;

import io.streamrec.common.config.Settings;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.OnlineModels;
import io.streamrec.model.eval.OfflineEvaluation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tuning harness: {@code Tune DATASET_DIR prequential|holdout key=value...}; each remaining argument group
 * separated by "," is one configuration (model.* keys). Prints one RMSE line per configuration. Batch-trained
 * families (type=i-autorec) always run the holdout and take their epochs from their own key.
 */
public final class Tune {
    public static void main(String[] args) throws Exception {
        OfflineEvaluation.Columns data = MovieLens.load(Path.of(args[0]));
        String protocol = args[1];
        StringBuilder all = new StringBuilder();
        for (int a = 2; a < args.length; a++) {
            all.append(args[a]).append(' ');
        }
        for (String config : all.toString().split(",")) {
            Map<String, String> flags = new LinkedHashMap<>();
            int epochs = 20;
            for (String kv : config.trim().split("\\s+")) {
                if (kv.isBlank()) {
                    continue;
                }
                String[] p = kv.split("=", 2);
                if (p[0].equals("epochs")) {
                    epochs = Integer.parseInt(p[1]);
                } else {
                    flags.put(p[0].startsWith("model.") ? p[0] : "model." + p[0], p[1]);
                }
            }
            Settings s = Settings.builder().flags(flags).build();
            if (protocol.equals("both")) {
                double p = OfflineEvaluation.prequential(OnlineModels.fromSettings(s), data, 0, null).rmse();
                double h = OfflineEvaluation.holdout(OnlineModels.fromSettings(s), data, 0.2, epochs, 1).rmse();
                System.out.printf("score=%.4f preq=%.4f hold=%.4f %s%n", Math.max(p - 0.935, 0) + Math.max(h - 0.915, 0), p, h, config.trim());
                continue;
            }
            var batchTrained = OnlineModels.batchTrained(s);
            if (batchTrained.isPresent()) {
                OfflineEvaluation.Result r = OfflineEvaluation.holdout(batchTrained.get(), data, 0.2, 1);
                System.out.printf("%-70s rmse=%.4f mae=%.4f cold=%.3f %.2fs%n", config.trim(), r.rmse(), r.mae(), r.coldStartShare(), r.seconds());
                continue;
            }
            var model = OnlineModels.fromSettings(s);
            OfflineEvaluation.Result r = protocol.equals("holdout")
                    ? OfflineEvaluation.holdout(model, data, 0.2, epochs, 1)
                    : OfflineEvaluation.prequential(model, data, 0, null);
            System.out.printf("%-70s rmse=%.4f mae=%.4f cold=%.3f %.2fs%n", config.trim(), r.rmse(), r.mae(), r.coldStartShare(), r.seconds());
        }
    }
}
