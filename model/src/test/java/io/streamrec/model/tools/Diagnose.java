package io.streamrec.model.tools;

import io.streamrec.common.config.Settings;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.OnlineModels;
import io.streamrec.model.RowTable;
import io.streamrec.model.eval.OfflineEvaluation;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prequential squared error broken down by how many ratings the user and the item had before the event. */
public final class Diagnose {
    public static void main(String[] args) throws Exception {
        OfflineEvaluation.Columns data = MovieLens.load(Path.of(args[0]));
        Map<String, String> flags = new LinkedHashMap<>();
        for (int a = 1; a < args.length; a++) {
            String[] p = args[a].split("=", 2);
            flags.put("model." + p[0], p[1]);
        }
        OnlineModel model = OnlineModels.fromSettings(Settings.builder().flags(flags).build());
        int[] edges = {0, 1, 5, 20, 50, 100, 200, Integer.MAX_VALUE};
        double[] uSq = new double[edges.length];
        long[] uN = new long[edges.length];
        double[] iSq = new double[edges.length];
        long[] iN = new long[edges.length];
        Map<Long, Integer> uc = new HashMap<>();
        Map<Long, Integer> ic = new HashMap<>();
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        MiniBatch b = new MiniBatch(1);
        double total = 0;
        for (int e = 0; e < data.size(); e++) {
            b.clear();
            b.add(data.users()[e], data.items()[e], data.ratings()[e], data.timestampsMs()[e]);
            model.process(b, users, items);
            double err = b.prediction(0) - b.rating(0);
            total += err * err;
            int cu = uc.merge(b.user(0), 1, Integer::sum) - 1;
            int ci = ic.merge(b.item(0), 1, Integer::sum) - 1;
            int bu = bucket(edges, cu);
            int bi = bucket(edges, ci);
            uSq[bu] += err * err;
            uN[bu]++;
            iSq[bi] += err * err;
            iN[bi]++;
        }
        System.out.printf("total rmse %.4f over %d%n", Math.sqrt(total / data.size()), data.size());
        for (int k = 0; k < edges.length - 1; k++) {
            System.out.printf("prior count [%d,%d): users n=%6d rmse=%.4f share of SSE=%.3f | items n=%6d rmse=%.4f share=%.3f%n",
                    edges[k], edges[k + 1], uN[k], Math.sqrt(uSq[k] / Math.max(1, uN[k])), uSq[k] / total,
                    iN[k], Math.sqrt(iSq[k] / Math.max(1, iN[k])), iSq[k] / total);
        }
    }

    private static int bucket(int[] edges, int c) {
        for (int k = 0; k < edges.length - 1; k++) {
            if (c < edges[k + 1]) {
                return k;
            }
        }
        return edges.length - 2;
    }
}
