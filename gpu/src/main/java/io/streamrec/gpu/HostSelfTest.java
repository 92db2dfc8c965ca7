package io.streamrec.gpu;

import io.streamrec.model.BiasedMf;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowTable;
import io.streamrec.model.UpdateMode;
import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.JavaMfKernel;
import io.streamrec.model.kernel.KernelKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the device check verifies before it touches a GPU, so a broken bundle (a class missing from the jlinked JRE or
 * the jars) shows as such and not as a GPU failure: the segment preparation gives the Java kernel's sums exactly, and
 * the model's batch path runs on this JRE.
 */
public final class HostSelfTest {

    private HostSelfTest() {
    }

    public static List<CheckResult> run() {
        List<CheckResult> out = new ArrayList<>();
        out.add(segments());
        out.add(model());
        return out;
    }

    static CheckResult segments() {
        int events = 4096;
        int dim = 32;
        GatheredBatch g = SeededBatches.gathered(dim, events, 300, 150, 1);
        float[] dl = SeededBatches.dLoss(events, 2);
        new JavaMfKernel().backward(g, dl, 0.01f, 0.05f);
        int w = dim + 1;
        float[] sums = RowGradReference.rowGrad(g.userParams(), g.itemParams(), g.itemIndex(),
                new RowSegments().build(g.userIndex(), events, 300), dl, 300, w, 0.01f, 0.05f);
        boolean same = Arrays.equals(sums, Arrays.copyOf(g.userGrad(), 300 * w));
        return new CheckResult("host: row segments reproduce the Java kernel's sums", same, same ? "bitwise equal" : "sums differ");
    }

    static CheckResult model() {
        BiasedMf mf = new BiasedMf(MfHyperParameters.defaults().withDim(32).withKernel(KernelKind.JAVA).withUpdate(UpdateMode.BATCH));
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        SplittableRandom rnd = new SplittableRandom(3);
        boolean finite = true;
        for (int b = 0; b < 3; b++) {
            MiniBatch batch = new MiniBatch(256);
            for (int e = 0; e < 256; e++) {
                batch.add(rnd.nextInt(100), rnd.nextInt(50), 1 + rnd.nextInt(5), b * 1000L + e);
            }
            mf.process(batch, users, items);
            for (int e = 0; e < 256; e++) {
                finite &= Float.isFinite(batch.prediction(e));
            }
        }
        return new CheckResult("host: BiasedMf batch mode runs on this JRE", finite && users.size() > 0,
                users.size() + " user rows, " + items.size() + " item rows after 3 batches");
    }
}
