package io.streamrec.cli.demo;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's dataset download against a local HTTP server on 127.0.0.1: what it says when it cannot use the file. */
class DemoDatasetsTest {

    private static final String RATINGS = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,964981247\n";

    @TempDir
    Path cache;

    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/missing.zip", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        byte[] zip = zip("ml-tiny/ratings.csv", RATINGS);
        server.createContext("/ml-tiny.zip", ex -> {
            ex.sendResponseHeaders(200, zip.length);
            ex.getResponseBody().write(zip);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aGoodArchiveWithTheKnownChecksumIsUnpackedIntoTheCache() throws IOException {
        String sha = sha256Of(RATINGS);
        DemoDatasets.Resolved r = DemoDatasets.fetch("ml-tiny", new DemoDatasets.Known(base + "/ml-tiny.zip", "ratings.csv", sha), cache);
        assertThat(r.path()).contains(cache.resolve("ml-tiny"));
        assertThat(cache.resolve("ml-tiny/ratings.csv")).hasContent(RATINGS.strip());
        assertThat(r.how()).contains("checksum verified");
    }

    @Test
    void anHttpErrorNamesTheStatusAndTheUrl() {
        DemoDatasets.Resolved r = DemoDatasets.fetch("ml-tiny", new DemoDatasets.Known(base + "/missing.zip", "ratings.csv", "00"), cache);
        assertThat(r.path()).isEmpty();
        assertThat(r.how()).contains("could not download ml-tiny").contains("HTTP 404").contains(base + "/missing.zip")
                .doesNotContain("null");
    }

    @Test
    void aChecksumMismatchSaysSoWithBothDigestsAndLeavesNothingInTheCache() throws IOException {
        String expected = "aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646";
        DemoDatasets.Resolved r = DemoDatasets.fetch("ml-tiny", new DemoDatasets.Known(base + "/ml-tiny.zip", "ratings.csv", expected), cache);
        assertThat(r.path()).isEmpty();
        assertThat(r.how()).contains("checksum mismatch for ratings.csv").contains("expected " + expected)
                .contains(sha256Of(RATINGS));
        try (var left = Files.list(cache)) {
            assertThat(left).as("no rejected archive or staging folder left in the cache").isEmpty();
        }
    }

    @Test
    void anUnresolvableHostIsReportedAsNoNetworkOrDns() {
        DemoDatasets.Resolved r = DemoDatasets.fetch("ml-tiny",
                new DemoDatasets.Known("http://nonexistent.invalid/ml-tiny.zip", "ratings.csv", "00"), cache);
        assertThat(r.path()).isEmpty();
        assertThat(r.how()).contains("cannot resolve host nonexistent.invalid").contains("no network or a DNS failure")
                .contains("UnknownHostException").doesNotContain("(null)");
    }

    @Test
    void aRefusedConnectionIsReportedAsRefused() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        DemoDatasets.Resolved r = DemoDatasets.fetch("ml-tiny",
                new DemoDatasets.Known("http://127.0.0.1:" + closedPort + "/ml-tiny.zip", "ratings.csv", "00"), cache);
        assertThat(r.path()).isEmpty();
        assertThat(r.how()).contains("connection refused by 127.0.0.1:" + closedPort).doesNotContain("(null)");
    }

    private static byte[] zip(String entry, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(content.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return bytes.toByteArray();
    }

    private String sha256Of(String content) throws IOException {
        Path f = Files.createTempFile("sha", ".txt");
        try {
            Files.writeString(f, content);
            return DemoDatasets.sha256(f);
        } finally {
            Files.delete(f);
        }
    }
}
