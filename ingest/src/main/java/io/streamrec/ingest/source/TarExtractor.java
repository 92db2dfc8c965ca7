package io.streamrec.ingest.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a {@code .tar}, {@code .tar.gz} or {@code .tgz} (ustar, GNU long names, pax paths) into a directory, and
 * any {@code .tar} inside it too: the Netflix Prize ships as {@code nf_prize_dataset.tar.gz} holding
 * {@code training_set.tar}. A tar stream cannot be read out of order, so unpacking once beats re-reading it per file.
 * Entry names that would escape the target directory are refused.
 */
final class TarExtractor {

    private static final int BLOCK = 512;

    private TarExtractor() {
    }

    static boolean isTar(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
    }

    /** Extracts {@code archive} into {@code target}; returns the number of files written. */
    static int extract(Path archive, Path target) throws IOException {
        String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        try (InputStream in = n.endsWith(".tar") ? raw : new GZIPInputStream(raw, 1 << 16)) {
            return extract(in, target, archive.getFileName().toString());
        }
    }

    private static int extract(InputStream in, Path target, String what) throws IOException {
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        byte[] header = new byte[BLOCK];
        String longName = null;
        int files = 0;
        while (true) {
            if (!readBlock(in, header)) {
                return files; // end of stream without the two zero blocks: tolerated
            }
            if (isZero(header)) {
                return files;
            }
            String name = longName != null ? longName : headerName(header);
            longName = null;
            long size = parseSize(header, what);
            char type = (char) header[156];
            if (type == 'L' || type == 'x') {
                byte[] data = readData(in, size, what);
                if (type == 'L') {
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                } else {
                    longName = paxPath(data);
                }
                continue;
            }
            if (type != '0' && type != '\0' && type != '7') {
                skip(in, padded(size)); // directories, links, global pax headers
                continue;
            }
            Path out = root.resolve(name).normalize();
            if (!out.startsWith(root) || name.isEmpty()) {
                throw new IOException(what + ": entry '" + name + "' would be written outside the extraction directory");
            }
            Files.createDirectories(out.getParent());
            try (OutputStream os = Files.newOutputStream(out)) {
                copy(in, os, size, what);
            }
            skip(in, padded(size) - size);
            files++;
            if (isTar(out.getFileName().toString())) {
                String inner = out.getFileName().toString();
                Path dir = out.resolveSibling(inner.replaceAll("(?i)\\.(tar\\.gz|tgz|tar)$", ""));
                files += extract(out, dir) - 1;
                Files.delete(out);
            }
        }
    }

    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        if (h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r') {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static String paxPath(byte[] data) {
        // Records: "<len> key=value\n"
        String s = new String(data, StandardCharsets.UTF_8);
        for (String rec : s.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                return rec.substring(sp + 6);
            }
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseSize(byte[] h, String what) throws IOException {
        if ((h[124] & 0x80) != 0) {
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = cString(h, 124, 12).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(what + " is not a valid tar archive (bad size field '" + s + "')");
        }
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("truncated tar header");
            }
            off += n;
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readData(InputStream in, long size, String what) throws IOException {
        if (size > (1 << 20)) {
            throw new IOException(what + ": tar extension header of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException(what + ": truncated tar archive");
        }
        skip(in, padded(size) - size);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size, String what) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException(what + ": truncated tar archive");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("truncated tar archive");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
