package io.streamrec.model.tools;

import io.streamrec.common.config.Settings;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.OnlineModels;
import io.streamrec.model.RowTable;
import io.streamrec.model.eval.OfflineEvaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Prototype: after each event, re-learn K random earlier events of the same user. */
public final class ReplayProto {
    public static void main(String[] args) throws Exception {
        OfflineEvaluation.Columns data = MovieLens.load(Path.of(args[0]));
        int k = Integer.parseInt(args[1]);
        int window = Integer.parseInt(args[2]);
        Map<String, String> flags = new LinkedHashMap<>();
        for (int a = 3; a < args.length; a++) {
            String[] p = args[a].split("=", 2);
            flags.put("model." + p[0], p[1]);
        }
        OnlineModel model = OnlineModels.fromSettings(Settings.builder().flags(flags).build());
        Map<Long, List<int[]>> hist = new HashMap<>();
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        MiniBatch b = new MiniBatch(1);
        MiniBatch rb = new MiniBatch(1);
        SplittableRandom rnd = new SplittableRandom(1);
        double total = 0;
        for (int e = 0; e < data.size(); e++) {
            b.clear();
            b.add(data.users()[e], data.items()[e], data.ratings()[e], data.timestampsMs()[e]);
            model.process(b, users, items);
            double err = b.prediction(0) - b.rating(0);
            total += err * err;
            List<int[]> h = hist.computeIfAbsent(data.users()[e], x -> new ArrayList<>());
            h.add(new int[]{e});
            int from = Math.max(0, h.size() - window);
            for (int r = 0; r < k && h.size() > 1; r++) {
                int idx = h.get(from + rnd.nextInt(h.size() - from))[0];
                rb.clear();
                rb.add(data.users()[idx], data.items()[idx], data.ratings()[idx], data.timestampsMs()[idx]);
                model.learn(rb, users, items);
            }
        }
        System.out.printf("k=%d window=%d %s rmse %.4f%n", k, window, flags, Math.sqrt(total / data.size()));
    }
}
