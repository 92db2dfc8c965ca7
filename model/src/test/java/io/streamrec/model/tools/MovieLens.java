package io.streamrec.model.tools;

import io.streamrec.model.eval.OfflineEvaluation.Columns;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A minimal MovieLens reader for this module's tests and tuning runs only (the product reads datasets through the
 * ingest module, which this module must not depend on). Sorted by timestamp, stable: ties keep file order.
 */
public final class MovieLens {

    private MovieLens() {
    }

    public static Columns load(Path dir) throws IOException {
        Path udata = dir.resolve("u.data");
        Path csv = dir.resolve("ratings.csv");
        record R(long u, long i, float r, long t) {
        }
        List<R> rows = new ArrayList<>();
        boolean tab = Files.exists(udata);
        try (BufferedReader in = Files.newBufferedReader(tab ? udata : csv)) {
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                if (!tab && first) {
                    first = false;
                    continue;
                }
                String[] f = line.split(tab ? "\t" : ",");
                rows.add(new R(Long.parseLong(f[0]), Long.parseLong(f[1]), Float.parseFloat(f[2]), Long.parseLong(f[3].trim()) * 1000L));
            }
        }
        rows.sort(Comparator.comparingLong(R::t));
        int n = rows.size();
        long[] u = new long[n];
        long[] i = new long[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int k = 0; k < n; k++) {
            R x = rows.get(k);
            u[k] = x.u;
            i[k] = x.i;
            r[k] = x.r;
            t[k] = x.t;
        }
        return new Columns(u, i, r, t);
    }
}
