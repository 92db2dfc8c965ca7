package io.streamrec.cli.demo;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Says what went wrong with a dataset download, in words a user can act on: no network or DNS, connection refused or
 * timed out, an HTTP status, a checksum mismatch. Java's HttpClient often throws a {@link ConnectException} without a
 * message (the demo used to print "could not download ml-latest-small (null)"), with the real cause further down the
 * chain or nowhere at all; then a plain socket connect to the same host and port tells refused from timed out.
 */
public final class DownloadFailures {

    /** The server answered, but not with the file. */
    public static final class HttpStatusException extends IOException {
        private final int status;

        public HttpStatusException(int status, URI url) {
            super("HTTP " + status + " from " + url);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The download completed but is not the file we know: truncated, altered, or a different release. */
    public static final class ChecksumMismatchException extends IOException {
        public ChecksumMismatchException(String file, String expected, String actual) {
            super("checksum mismatch for " + file + ": SHA-256 " + actual + ", expected " + expected
                    + " (a truncated or altered download)");
        }
    }

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private DownloadFailures() {
    }

    /** One clause describing why fetching {@code url} failed with {@code failure}. */
    public static String describe(URI url, Throwable failure) {
        List<Throwable> chain = chain(failure);
        String host = url.getHost();
        int port = port(url);
        for (Throwable t : chain) {
            if (t instanceof HttpStatusException || t instanceof ChecksumMismatchException) {
                return t.getMessage();
            }
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return unresolvable(host, t);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connection to " + host + ":" + port + " timed out (" + t.getClass().getSimpleName() + ")";
            }
            if (t instanceof HttpTimeoutException) {
                return "no complete answer from " + host + ":" + port + " in time (" + t.getClass().getSimpleName() + ")";
            }
            if (t instanceof SSLException) {
                return "TLS with " + host + " failed: " + t.getMessage() + " (" + t.getClass().getSimpleName() + ")";
            }
        }
        for (Throwable t : chain) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return t.getMessage() != null
                        ? "connecting to " + host + ":" + port + " failed: " + t.getMessage() + " (" + t.getClass().getSimpleName() + ")"
                        : probe(host, port);
            }
        }
        return summary(chain);
    }

    /** Repeats the connect with a plain socket, whose exceptions do say why. */
    static String probe(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), (int) PROBE_TIMEOUT.toMillis());
            return "could not connect to " + host + ":" + port + " (it accepts connections now: a transient network failure?)";
        } catch (UnknownHostException e) {
            return unresolvable(host, e);
        } catch (SocketTimeoutException e) {
            return "connection to " + host + ":" + port + " timed out after " + PROBE_TIMEOUT.toSeconds() + " s (a firewall or no route?)";
        } catch (ConnectException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            return m.toLowerCase(java.util.Locale.ROOT).contains("refused")
                    ? "connection refused by " + host + ":" + port
                    : "connecting to " + host + ":" + port + " failed: " + (m.isEmpty() ? e.getClass().getSimpleName() : m);
        } catch (IOException e) {
            return "connecting to " + host + ":" + port + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private static String unresolvable(String host, Throwable t) {
        return "cannot resolve host " + host + ": no network or a DNS failure ("
                + (t instanceof UnknownHostException ? "UnknownHostException" : t.getClass().getSimpleName() + ", i.e. UnknownHostException") + ")";
    }

    /** Every named cause, outermost first, for failures none of the cases above covers. */
    private static String summary(List<Throwable> chain) {
        List<String> parts = new ArrayList<>();
        for (Throwable t : chain) {
            parts.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return String.join(", caused by ", parts);
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        // Bounded, in case a cause chain loops.
        for (Throwable t = failure; t != null && chain.size() < 20 && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static int port(URI url) {
        if (url.getPort() >= 0) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
}
