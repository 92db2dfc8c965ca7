package io.streamrec.model;

import io.streamrec.model.autorec.AutoencoderKernel;
import io.streamrec.model.autorec.Nd4jAutoencoderKernel;
import io.streamrec.model.eval.BatchTrainedModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * I-AutoRec (Sedhain et al. 2015), trained offline: each item's vector of user ratings (0 where unobserved) goes
 * through a sigmoid code layer and an identity output; the squared error is masked to the observed ratings, with
 * L2 λ on both weight matrices; Adam over shuffled item batches for a number of epochs. A user's predicted rating
 * of an item is that user's entry in the item's reconstruction.
 *
 * <p>Cold pairs (the user or the item had no training rating) get the item's training mean, else the user's, else
 * the global mean; the paper uses the constant 3. The dense math is the {@link AutoencoderKernel}'s. Memory is
 * items × users floats for the reconstructions plus 6 × hidden × users for the weights and Adam state: fine for the
 * MovieLens 100k / latest-small sizes this is evaluated on, not for ML-25M.
 */
public final class IAutoRec implements BatchTrainedModel {

    private static final Logger LOG = LoggerFactory.getLogger(IAutoRec.class);

    private final IAutoRecHyperParameters params;
    private final Map<Long, Integer> userIndex = new HashMap<>();
    private final Map<Long, Integer> itemIndex = new HashMap<>();
    private float[] reconstructions = new float[0];
    private double[] userMean = new double[0];
    private double[] itemMean = new double[0];
    private double globalMean;
    private AutoencoderKernel kernel;

    public IAutoRec(IAutoRecHyperParameters params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    @Override
    public ModelKind kind() {
        return ModelKind.I_AUTOREC;
    }

    @Override
    public Map<String, String> settings() {
        return params.toSettings();
    }

    /** family, sizes, optimizer, format: I-AutoRec is never checkpointed, but reports name it like the others. */
    public String fingerprint() {
        return ModelKind.I_AUTOREC.id() + ";hidden=" + params.hidden() + ";optimizer=adam;format=1";
    }

    @Override
    public void fit(long[] users, long[] items, float[] ratings) {
        if (users.length != items.length || ratings.length != users.length) {
            throw new IllegalArgumentException("columns differ in length");
        }
        if (users.length == 0) {
            throw new IllegalArgumentException("nothing to train on");
        }
        userIndex.clear();
        itemIndex.clear();
        int n = users.length;
        int[] u = new int[n];
        int[] it = new int[n];
        for (int e = 0; e < n; e++) {
            u[e] = userIndex.computeIfAbsent(users[e], k -> userIndex.size());
            it[e] = itemIndex.computeIfAbsent(items[e], k -> itemIndex.size());
        }
        int nu = userIndex.size();
        int ni = itemIndex.size();
        // Items as CSR rows of (user, rating): the dense batch is built per step, so memory stays ratings-sized.
        int[] start = new int[ni + 1];
        for (int e = 0; e < n; e++) {
            start[it[e] + 1]++;
        }
        for (int i = 0; i < ni; i++) {
            start[i + 1] += start[i];
        }
        int[] fill = Arrays.copyOf(start, ni);
        int[] rowUser = new int[n];
        float[] rowRating = new float[n];
        userMean = new double[nu];
        itemMean = new double[ni];
        int[] userCount = new int[nu];
        int[] itemCount = new int[ni];
        double sum = 0;
        for (int e = 0; e < n; e++) {
            int k = fill[it[e]]++;
            rowUser[k] = u[e];
            rowRating[k] = ratings[e];
            userMean[u[e]] += ratings[e];
            itemMean[it[e]] += ratings[e];
            userCount[u[e]]++;
            itemCount[it[e]]++;
            sum += ratings[e];
        }
        for (int a = 0; a < nu; a++) {
            userMean[a] /= userCount[a];
        }
        for (int i = 0; i < ni; i++) {
            itemMean[i] /= itemCount[i];
        }
        globalMean = sum / n;

        kernel = new Nd4jAutoencoderKernel(nu, params.hidden(), params.lambda(),
                Nd4jAutoencoderKernel.Adam.of(params.learningRate()), params.seed(), DataType.FLOAT);
        int bs = Math.min(params.batchSize(), ni);
        float[] input = new float[bs * nu];
        float[] mask = new float[bs * nu];
        int[] order = new int[ni];
        for (int i = 0; i < ni; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(params.seed());
        long t0 = System.nanoTime();
        for (int epoch = 0; epoch < params.epochs(); epoch++) {
            shuffle(order, rnd);
            double se = 0;
            for (int from = 0; from < ni; from += bs) {
                int rows = Math.min(bs, ni - from);
                densify(order, from, rows, start, rowUser, rowRating, nu, input, mask);
                se += kernel.step(input, mask, rows, (double) rows / ni);
            }
            if (LOG.isDebugEnabled() || (epoch + 1) % 50 == 0 || epoch == params.epochs() - 1) {
                LOG.info("i-autorec epoch {}: training RMSE {} ({} s)", epoch + 1, Math.sqrt(se / n),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        reconstructions = new float[ni * nu];
        int[] all = new int[ni];
        for (int i = 0; i < ni; i++) {
            all[i] = i;
        }
        float[] out = new float[bs * nu];
        for (int from = 0; from < ni; from += bs) {
            int rows = Math.min(bs, ni - from);
            densify(all, from, rows, start, rowUser, rowRating, nu, input, mask);
            kernel.reconstruct(input, rows, out);
            System.arraycopy(out, 0, reconstructions, from * nu, rows * nu);
        }
    }

    @Override
    public Prediction predict(long user, long item) {
        if (kernel == null) {
            throw new IllegalStateException("fit before predicting");
        }
        Integer a = userIndex.get(user);
        Integer i = itemIndex.get(item);
        if (a != null && i != null) {
            return new Prediction(params.ratingScale().clamp(reconstructions[i * userIndex.size() + a]), false);
        }
        double fallback = i != null ? itemMean[i] : a != null ? userMean[a] : globalMean;
        return new Prediction(params.ratingScale().clamp((float) fallback), true);
    }

    /** The kernel of the last fit (tests). */
    AutoencoderKernel kernel() {
        return kernel;
    }

    private static void densify(int[] order, int from, int rows, int[] start, int[] rowUser, float[] rowRating, int width,
                                float[] input, float[] mask) {
        Arrays.fill(input, 0, rows * width, 0f);
        Arrays.fill(mask, 0, rows * width, 0f);
        for (int r = 0; r < rows; r++) {
            int i = order[from + r];
            int base = r * width;
            for (int k = start[i]; k < start[i + 1]; k++) {
                input[base + rowUser[k]] = rowRating[k];
                mask[base + rowUser[k]] = 1f;
            }
        }
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
