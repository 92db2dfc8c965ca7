package io.streamrec.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP addresses a process listens on, read from Linux's /proc (socket inodes of the process joined with
 * /proc/net/tcp{,6}). Lets tests prove that nothing of ours listens beyond loopback.
 */
public final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** "ADDRESS:PORT" for each listening socket of the process; IPv4-mapped IPv6 is shown as IPv4. */
    public static Set<String> ofProcess(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // fd went away while listing
                }
            }
        }
        Set<String> out = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    out.add(decode(f[1]));
                }
            }
        }
        return out;
    }

    private static String decode(String hexAddrPort) {
        String[] parts = hexAddrPort.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String hex = parts[0];
        if (hex.length() == 8) {
            return ipv4(hex) + ":" + port;
        }
        // IPv6: four little-endian 32-bit words. ::ffff:a.b.c.d keeps IPv4 in the last word.
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return ipv4(hex.substring(24)) + ":" + port;
        }
        if (hex.equals("00000000000000000000000001000000")) {
            return "[::1]:" + port;
        }
        if (hex.equals("00000000000000000000000000000000")) {
            return "[::]:" + port;
        }
        return "[" + new BigInteger(hex, 16).toString(16) + "]:" + port;
    }

    private static String ipv4(String littleEndianHex) {
        long v = Long.parseLong(littleEndianHex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }
}
