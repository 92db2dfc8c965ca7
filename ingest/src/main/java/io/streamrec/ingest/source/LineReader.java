package io.streamrec.ingest.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding them: the rating parsers read numbers straight from the bytes,
 * which is what makes parsing tens of millions of lines cheap. After {@link #next()} the current line is
 * {@code buffer()[start(), end())}, with the line terminator ({@code \n} or {@code \r\n}) removed.
 */
public final class LineReader implements AutoCloseable {

    private final InputStream in;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private boolean eof;
    private int start;
    private int end;
    private long lineNumber;

    public LineReader(InputStream in) {
        this.in = in;
    }

    public boolean next() throws IOException {
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    setLine(pos, i);
                    pos = i + 1;
                    return true;
                }
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void setLine(int s, int e) {
        if (e > s && buf[e - 1] == '\r') {
            e--;
        }
        start = s;
        end = e;
        lineNumber++;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    public byte[] buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    public boolean isBlank() {
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The current line as text: UTF-8 when it is valid UTF-8, Latin-1 otherwise (see {@link #decode}). */
    public String text() {
        return decode(buf, start, end);
    }

    /**
     * Decodes a line of a metadata file. MovieLens ml-100k/ml-1m and Netflix titles are Latin-1, newer MovieLens
     * files UTF-8, and re-encoded copies circulate; Latin-1 text with accents is practically never valid UTF-8, so
     * trying UTF-8 strictly first reads both correctly.
     */
    public static String decode(byte[] b, int s, int e) {
        boolean ascii = true;
        for (int i = s; i < e; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, s, e - s, StandardCharsets.US_ASCII);
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = dec.decode(ByteBuffer.wrap(b, s, e - s));
            return cb.toString();
        } catch (CharacterCodingException ex) {
            return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
