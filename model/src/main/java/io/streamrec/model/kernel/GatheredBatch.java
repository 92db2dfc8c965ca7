package io.streamrec.model.kernel;

import java.util.Arrays;

/**
 * The dense working set of one mini-batch, in the shape both kernels want: the learnable parameters (bias, then
 * vector; {@code width = 1 + dim} floats each) of the batch's DISTINCT users and items packed row after row, the
 * per-event indices into them, and gradient buffers of the same shape. Gathering once per distinct row is what
 * makes a user who rated 20 items in one batch cost one state read and one optimizer step.
 * Reused across batches; grows when a batch needs more room.
 */
public final class GatheredBatch {

    private final int width;
    private long generation;
    private int events;
    private int users;
    private int items;
    private int[] userIndex = new int[0];
    private int[] itemIndex = new int[0];
    private float[] userParams = new float[0];
    private float[] itemParams = new float[0];
    private float[] userGrad = new float[0];
    private float[] itemGrad = new float[0];

    public GatheredBatch(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("row width (1 + dim) must be >= 1, got " + width);
        }
        this.width = width;
    }

    /** Prepares for a batch of {@code events} events touching {@code users} distinct users and {@code items} distinct items; zeroes the gradients. */
    public void reset(int events, int users, int items) {
        if (events < 0 || users < 0 || items < 0 || users > events || items > events) {
            throw new IllegalArgumentException("bad batch shape: events=" + events + ", users=" + users + ", items=" + items);
        }
        this.generation++;
        this.events = events;
        this.users = users;
        this.items = items;
        if (userIndex.length < events) {
            userIndex = new int[events];
            itemIndex = new int[events];
        }
        if (userParams.length < users * width) {
            userParams = new float[users * width];
            userGrad = new float[users * width];
        }
        if (itemParams.length < items * width) {
            itemParams = new float[items * width];
            itemGrad = new float[items * width];
        }
        Arrays.fill(userGrad, 0, users * width, 0f);
        Arrays.fill(itemGrad, 0, items * width, 0f);
    }

    /** Changes at every {@link #reset}: lets a kernel reuse what it derived from the same batch's parameters. */
    public long generation() {
        return generation;
    }

    public int width() {
        return width;
    }

    public int dim() {
        return width - 1;
    }

    public int events() {
        return events;
    }

    public int users() {
        return users;
    }

    public int items() {
        return items;
    }

    /** Event e's user is packed at {@code userIndex()[e] * width}. Valid entries: [0, events). */
    public int[] userIndex() {
        return userIndex;
    }

    public int[] itemIndex() {
        return itemIndex;
    }

    /** Packed user parameters, {@code users * width} valid floats. */
    public float[] userParams() {
        return userParams;
    }

    public float[] itemParams() {
        return itemParams;
    }

    /** Accumulated gradients, same packing as {@link #userParams()}. */
    public float[] userGrad() {
        return userGrad;
    }

    public float[] itemGrad() {
        return itemGrad;
    }
}
