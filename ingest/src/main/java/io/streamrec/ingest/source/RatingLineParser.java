package io.streamrec.ingest.source;

import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.RejectReason;
import io.streamrec.ingest.RejectLog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses one ratings line of a dataset file into a {@link RatingSink}, or rejects it with a reason. One instance per
 * file (Netflix lines depend on the preceding {@code MovieID:} line).
 */
public abstract class RatingLineParser {

    private static final long DAY_MS = 86_400_000L;
    private static final int MAX_FIELDS = 8;

    protected final RatingScale scale;
    protected final RejectLog rejects;
    protected final String file;
    protected final int[] starts = new int[MAX_FIELDS];
    protected final int[] ends = new int[MAX_FIELDS];

    protected RatingLineParser(RatingScale scale, RejectLog rejects, String file) {
        this.scale = scale;
        this.rejects = rejects;
        this.file = file;
    }

    /** Handles one line; returns true when it produced a rating. */
    public abstract boolean parse(byte[] b, int s, int e, long lineNo, RatingSink sink);

    /** {@code user<TAB>item<TAB>rating<TAB>seconds} (ml-100k u.data). */
    public static RatingLineParser tab(RatingScale scale, RejectLog rejects, String file) {
        return new Delimited(scale, rejects, file, new byte[]{'\t'}, false);
    }

    /** {@code user::item::rating::seconds} (ml-1m, ml-10m ratings.dat). */
    public static RatingLineParser doubleColon(RatingScale scale, RejectLog rejects, String file) {
        return new Delimited(scale, rejects, file, new byte[]{':', ':'}, false);
    }

    /** {@code userId,movieId,rating,timestamp} after a header line (ml-latest and friends). */
    public static RatingLineParser csv(RatingScale scale, RejectLog rejects, String file) {
        return new Delimited(scale, rejects, file, new byte[]{','}, true);
    }

    /** {@code MovieID:} lines, then {@code CustomerID,Rating,YYYY-MM-DD} lines (Netflix Prize). */
    public static RatingLineParser netflix(RatingScale scale, RejectLog rejects, String file) {
        return new Netflix(scale, rejects, file);
    }

    /** Splits on a one- or two-byte separator; returns the field count (capped at MAX_FIELDS + 1). */
    protected int split(byte[] b, int s, int e, byte[] sep) {
        int n = 0;
        int fieldStart = s;
        byte s0 = sep[0];
        if (sep.length == 1) {
            for (int i = s; i < e; i++) {
                if (b[i] == s0) {
                    if (n == MAX_FIELDS) {
                        return n + 1;
                    }
                    starts[n] = fieldStart;
                    ends[n++] = i;
                    fieldStart = i + 1;
                }
            }
        } else {
            byte s1 = sep[1];
            for (int i = s; i < e - 1; i++) {
                if (b[i] == s0 && b[i + 1] == s1) {
                    if (n == MAX_FIELDS) {
                        return n + 1;
                    }
                    starts[n] = fieldStart;
                    ends[n++] = i;
                    fieldStart = i + 2;
                    i++;
                }
            }
        }
        if (n == MAX_FIELDS) {
            return n + 1;
        }
        starts[n] = fieldStart;
        ends[n++] = e;
        return n;
    }

    protected void reject(RejectReason reason, long lineNo, String detail, byte[] b, int s, int e) {
        rejects.reject(reason, file, lineNo, detail, new String(b, s, e - s, StandardCharsets.ISO_8859_1));
    }

    /**
     * Validates a rating's value against the scale (range and step). Returns null when fine, or the reason; the
     * caller reports it with the line.
     */
    protected RejectReason checkRating(float r) {
        if (Numbers.isNotANumberText(r) || !Float.isFinite(r)) {
            return RejectReason.BAD_RATING;
        }
        if (!scale.contains(r)) {
            return RejectReason.RATING_OUT_OF_SCALE;
        }
        if (scale.step() > 0) {
            double steps = (r - scale.min()) / scale.step();
            if (Math.abs(steps - Math.rint(steps)) > 1e-4) {
                return RejectReason.RATING_OUT_OF_SCALE;
            }
        }
        return null;
    }

    protected String ratingDetail(RejectReason reason, byte[] b, int s, int e) {
        String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1).trim();
        return reason == RejectReason.BAD_RATING ? "rating '" + text + "' is not a finite number"
                : "rating " + text + " is outside the scale " + scale;
    }

    private static final class Delimited extends RatingLineParser {
        private final byte[] sep;
        private final boolean header;

        Delimited(RatingScale scale, RejectLog rejects, String file, byte[] sep, boolean header) {
            super(scale, rejects, file);
            this.sep = sep;
            this.header = header;
        }

        @Override
        public boolean parse(byte[] b, int s, int e, long lineNo, RatingSink sink) {
            if (isBlank(b, s, e)) {
                reject(RejectReason.EMPTY, lineNo, "blank line", b, s, e);
                return false;
            }
            if (header && lineNo == 1 && isLetter(b[s])) {
                return false; // the CSV header ("userId,movieId,rating,timestamp")
            }
            int n = split(b, s, e, sep);
            if (n != 4) {
                reject(RejectReason.WRONG_FIELD_COUNT, lineNo, "expected 4 fields, got " + (n > MAX_FIELDS ? "more than " + MAX_FIELDS : n), b, s, e);
                return false;
            }
            long user = Numbers.parseId(b, starts[0], ends[0]);
            long item = Numbers.parseId(b, starts[1], ends[1]);
            if (user < 0 || item < 0) {
                reject(RejectReason.BAD_ID, lineNo, (user < 0 ? "user" : "item") + " id is not a non-negative integer", b, s, e);
                return false;
            }
            float rating = Numbers.parseRating(b, starts[2], ends[2]);
            RejectReason bad = checkRating(rating);
            if (bad != null) {
                reject(bad, lineNo, ratingDetail(bad, b, starts[2], ends[2]), b, s, e);
                return false;
            }
            long seconds = Numbers.parseLong(b, starts[3], ends[3]);
            if (seconds == Numbers.INVALID || seconds < 0 || seconds > Long.MAX_VALUE / 1000) {
                reject(RejectReason.BAD_TIMESTAMP, lineNo, "timestamp is not a non-negative count of seconds", b, s, e);
                return false;
            }
            sink.accept(user, item, rating, seconds * 1000);
            return true;
        }
    }

    private static final class Netflix extends RatingLineParser {
        private static final byte[] COMMA = {','};
        private long movie = -1;
        private final byte[] lastDate = new byte[10];
        private long lastDayMs = -1;

        Netflix(RatingScale scale, RejectLog rejects, String file) {
            super(scale, rejects, file);
        }

        @Override
        public boolean parse(byte[] b, int s, int e, long lineNo, RatingSink sink) {
            if (isBlank(b, s, e)) {
                reject(RejectReason.EMPTY, lineNo, "blank line", b, s, e);
                return false;
            }
            int last = e - 1;
            while (last > s && b[last] == ' ') {
                last--;
            }
            if (b[last] == ':') {
                long id = Numbers.parseId(b, s, last);
                if (id < 0) {
                    movie = -1; // its ratings cannot be attributed: each is rejected below
                    reject(RejectReason.BAD_ID, lineNo, "movie id line is not 'NUMBER:'", b, s, e);
                } else {
                    movie = id;
                }
                return false;
            }
            int n = split(b, s, e, COMMA);
            if (n != 3) {
                reject(RejectReason.WRONG_FIELD_COUNT, lineNo, "expected 3 fields (customer,rating,date), got "
                        + (n > MAX_FIELDS ? "more than " + MAX_FIELDS : n), b, s, e);
                return false;
            }
            if (movie < 0) {
                reject(RejectReason.BAD_ID, lineNo, "rating before any valid 'MovieID:' line", b, s, e);
                return false;
            }
            long user = Numbers.parseId(b, starts[0], ends[0]);
            if (user < 0) {
                reject(RejectReason.BAD_ID, lineNo, "customer id is not a non-negative integer", b, s, e);
                return false;
            }
            float rating = Numbers.parseRating(b, starts[1], ends[1]);
            RejectReason bad = checkRating(rating);
            if (bad != null) {
                reject(bad, lineNo, ratingDetail(bad, b, starts[1], ends[1]), b, s, e);
                return false;
            }
            long ms = dayMs(b, starts[2], ends[2]);
            if (ms < 0) {
                reject(RejectReason.BAD_TIMESTAMP, lineNo, "date is not YYYY-MM-DD on or after 1970-01-01", b, s, e);
                return false;
            }
            sink.accept(user, movie, rating, ms);
            return true;
        }

        /** Consecutive lines mostly share a date; remember the last one instead of re-parsing it. */
        private long dayMs(byte[] b, int s, int e) {
            if (lastDayMs >= 0 && e - s == lastDate.length && Arrays.equals(b, s, e, lastDate, 0, lastDate.length)) {
                return lastDayMs;
            }
            long day = Numbers.parseIsoDay(b, s, e);
            if (day == Numbers.INVALID || day < 0) {
                return -1;
            }
            System.arraycopy(b, s, lastDate, 0, lastDate.length);
            lastDayMs = day * DAY_MS;
            return lastDayMs;
        }
    }

    static boolean isBlank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    static boolean isLetter(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
