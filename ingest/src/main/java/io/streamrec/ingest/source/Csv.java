package io.streamrec.ingest.source;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 field splitting for one line: quoted fields may hold commas and doubled quotes. */
public final class Csv {

    private Csv() {
    }

    /** The fields of a line, or null when a quoted field is not closed. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            cur.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            cur.append('"');
                            i += 2;
                        } else {
                            i++;
                            closed = true;
                            break;
                        }
                    } else {
                        cur.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    return null;
                }
                // Anything between the closing quote and the comma is kept, as lenient readers do.
                while (i < n && line.charAt(i) != ',') {
                    cur.append(line.charAt(i++));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    cur.append(line.charAt(i++));
                }
            }
            out.add(cur.toString());
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }
}
