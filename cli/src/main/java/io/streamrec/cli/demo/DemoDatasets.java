package io.streamrec.cli.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds a named MovieLens dataset for the demo: a local cache first, then a download from GroupLens whose ratings
 * file must match a known SHA-256, so a truncated or altered download is never used. The data is never part of the
 * repository (its licence forbids redistribution).
 */
public final class DemoDatasets {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDatasets.class);

    /** Name → (download URL, ratings file inside the folder, its SHA-256). */
    record Known(String url, String ratingsFile, String sha256) {
    }

    static final Map<String, Known> KNOWN = Map.of(
            "ml-latest-small", new Known("https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
                    "ratings.csv", "aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646"),
            "ml-100k", new Known("https://files.grouplens.org/datasets/movielens/ml-100k.zip",
                    "u.data", "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490"));

    /** The outcome: a folder, or empty with the reason we could not get one. */
    public record Resolved(Optional<Path> path, String how) {
    }

    private DemoDatasets() {
    }

    public static boolean isKnown(String name) {
        return KNOWN.containsKey(name);
    }

    public static Resolved resolve(String name, Path home, Path cacheDir, boolean allowDownload) {
        Known known = KNOWN.get(name);
        for (Path candidate : candidates(name, home, cacheDir)) {
            if (Files.isRegularFile(candidate.resolve(known.ratingsFile()))) {
                return new Resolved(Optional.of(candidate), "local copy " + candidate);
            }
        }
        if (!allowDownload) {
            return new Resolved(Optional.empty(), name + " is not cached locally and downloads are off");
        }
        return fetch(name, known, cacheDir);
    }

    /** Downloads {@code known} into {@code cacheDir}, or says why it could not (no local copies are looked at). */
    static Resolved fetch(String name, Known known, Path cacheDir) {
        try {
            Path dir = download(name, known, cacheDir);
            return new Resolved(Optional.of(dir), "downloaded from " + URI.create(known.url()).getHost() + " to " + dir
                    + " (checksum verified)");
        } catch (IOException | InterruptedException | SecurityException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("download of {} from {} failed", name, known.url(), e);
            return new Resolved(Optional.empty(), "could not download " + name + " from " + known.url() + ": "
                    + DownloadFailures.describe(URI.create(known.url()), e));
        }
    }

    static List<Path> candidates(String name, Path home, Path cacheDir) {
        String env = System.getenv("STREAMREC_DATASETS");
        var list = new java.util.ArrayList<Path>();
        if (env != null && !env.isBlank()) {
            list.add(Path.of(env).resolve(name));
        }
        list.add(cacheDir.resolve(name));
        list.add(home.resolve("../shared/datasets").normalize().resolve(name));
        return list;
    }

    private static Path download(String name, Known known, Path cacheDir) throws IOException, InterruptedException {
        LOG.info("downloading {} from {}", name, known.url());
        Files.createDirectories(cacheDir);
        Path zip = Files.createTempFile(cacheDir, name, ".zip.part");
        Path staging = null;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Path> resp = client.send(HttpRequest.newBuilder(URI.create(known.url()))
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofFile(zip));
            if (resp.statusCode() != 200) {
                throw new DownloadFailures.HttpStatusException(resp.statusCode(), URI.create(known.url()));
            }
            staging = Files.createTempDirectory(cacheDir, name + ".staging");
            unzip(zip, staging);
            Path folder = staging.resolve(name);
            Path ratings = folder.resolve(known.ratingsFile());
            if (!Files.isRegularFile(ratings)) {
                throw new IOException("archive has no " + name + "/" + known.ratingsFile());
            }
            String actual = sha256(ratings);
            if (!actual.equals(known.sha256())) {
                throw new DownloadFailures.ChecksumMismatchException(known.ratingsFile(), known.sha256(), actual);
            }
            Path target = cacheDir.resolve(name);
            Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(zip);
            // A rejected archive must not linger in the cache; after a success only the empty staging folder is left.
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("archive entry escapes the target folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
