package io.streamrec.gpu;

/**
 * A batch's events grouped by the row they touch, in a fixed order: a stable counting sort of event indices by row
 * (CSR). Row k's events are {@code events()[start()[k] .. start()[k+1])}, in increasing event order, which is the order
 * in which the Java kernel adds their gradients. O(events + rows), no allocation once grown.
 */
public final class RowSegments {

    private int[] start = new int[1];
    private int[] events = new int[0];
    private int rows;
    private int size;

    /** Groups {@code n} events whose rows are {@code rowOfEvent[0..n)}, each in [0, rows). */
    public RowSegments build(int[] rowOfEvent, int n, int rows) {
        if (start.length < rows + 1) {
            start = new int[Math.max(rows + 1, start.length * 2)];
        }
        if (events.length < n) {
            events = new int[Math.max(n, events.length * 2)];
        }
        java.util.Arrays.fill(start, 0, rows + 1, 0);
        for (int e = 0; e < n; e++) {
            int r = rowOfEvent[e];
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("event " + e + " touches row " + r + ", outside [0, " + rows + ")");
            }
            start[r + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        // Fill with a moving cursor per row; afterwards shift back. Scanning events in order keeps each segment sorted.
        for (int e = 0; e < n; e++) {
            events[start[rowOfEvent[e]]++] = e;
        }
        for (int r = rows; r > 0; r--) {
            start[r] = start[r - 1];
        }
        start[0] = 0;
        this.rows = rows;
        this.size = n;
        return this;
    }

    /** {@code rows + 1} valid entries. */
    public int[] start() {
        return start;
    }

    /** {@code events} valid entries: event indices grouped by row. */
    public int[] events() {
        return events;
    }

    public int rows() {
        return rows;
    }

    public int size() {
        return size;
    }
}
