package io.streamrec.ingest.source;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;

/** Number parsing straight from bytes, with no String per field; failures are signalled by sentinels. */
final class Numbers {

    /** Returned by {@link #parseRating} when the text is not a number at all. */
    static final float NOT_A_NUMBER_TEXT = Float.intBitsToFloat(0x7fc0_dead);
    static final long INVALID = Long.MIN_VALUE;

    private Numbers() {
    }

    /** A non-negative decimal integer (surrounding spaces allowed), or -1. */
    static long parseId(byte[] b, int s, int e) {
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        if (s == e || e - s > 19) {
            return -1;
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
            if (v < 0) {
                return -1; // overflowed 63 bits
            }
        }
        return v;
    }

    /** A signed decimal integer, or {@link #INVALID}. */
    static long parseLong(byte[] b, int s, int e) {
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        boolean neg = s < e && b[s] == '-';
        long v = parseId(b, neg ? s + 1 : s, e);
        if (v < 0) {
            return INVALID;
        }
        return neg ? -v : v;
    }

    /**
     * A rating such as {@code 4}, {@code 4.5} or {@code 3.0}; falls back to {@link Float#parseFloat} for anything
     * else (exponents, "NaN", "Infinity"), and returns {@link #NOT_A_NUMBER_TEXT} when even that fails.
     */
    static float parseRating(byte[] b, int s, int e) {
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        if (s == e) {
            return NOT_A_NUMBER_TEXT;
        }
        int i = s;
        int whole = 0;
        int digits = 0;
        while (i < e && b[i] >= '0' && b[i] <= '9' && digits < 6) {
            whole = whole * 10 + (b[i] - '0');
            i++;
            digits++;
        }
        if (digits > 0 && i == e) {
            return whole;
        }
        if (digits > 0 && b[i] == '.' && i + 1 < e && e - i <= 4) {
            int frac = 0;
            int scale = 1;
            int j = i + 1;
            for (; j < e; j++) {
                int d = b[j] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                frac = frac * 10 + d;
                scale *= 10;
            }
            if (j == e) {
                return (float) (whole + (double) frac / scale);
            }
        }
        String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException ex) {
            return NOT_A_NUMBER_TEXT;
        }
    }

    static boolean isNotANumberText(float f) {
        return Float.floatToRawIntBits(f) == Float.floatToRawIntBits(NOT_A_NUMBER_TEXT);
    }

    /** Epoch day of a {@code YYYY-MM-DD} date, or {@link #INVALID}. */
    static long parseIsoDay(byte[] b, int s, int e) {
        if (e - s != 10 || b[s + 4] != '-' || b[s + 7] != '-') {
            return INVALID;
        }
        long y = parseId(b, s, s + 4);
        long m = parseId(b, s + 5, s + 7);
        long d = parseId(b, s + 8, s + 10);
        if (y < 0 || m < 0 || d < 0) {
            return INVALID;
        }
        try {
            return LocalDate.of((int) y, (int) m, (int) d).toEpochDay();
        } catch (DateTimeException ex) {
            return INVALID;
        }
    }
}
