package io.streamrec.ingest;

import io.streamrec.common.event.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Netflix-style archives: a .tar.gz holding metadata and a nested training_set.tar. */
class TarArchiveTest {

    @TempDir
    Path tmp;

    /** A minimal ustar writer: enough to build test archives without a tar library. */
    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var e : files.entrySet()) {
            byte[] h = new byte[512];
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, h, 0, name.length);
            put(h, 100, String.format("%07o", 0644));
            put(h, 108, String.format("%07o", 0));
            put(h, 116, String.format("%07o", 0));
            put(h, 124, String.format("%011o", e.getValue().length));
            put(h, 136, String.format("%011o", 0));
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.write(h);
            out.write(e.getValue());
            out.write(new byte[(int) ((512 - e.getValue().length % 512) % 512)]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void netflixTarGzWithANestedTrainingSetTarReadsLikeTheFolder() throws IOException {
        Path golden = GoldenFormatsTest.golden("netflix");
        Map<String, byte[]> inner = new LinkedHashMap<>();
        for (String f : new String[]{"mv_0000001.txt", "mv_0000002.txt"}) {
            inner.put("training_set/" + f, Files.readAllBytes(golden.resolve("training_set").resolve(f)));
        }
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("download/movie_titles.txt", Files.readAllBytes(golden.resolve("movie_titles.csv")));
        outer.put("download/training_set.tar", tar(inner));
        Path archive = tmp.resolve("nf_prize_dataset.tar.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(archive))) {
            o.write(tar(outer));
        }
        LoadedDataset fromTar = DatasetLoader.load(archive);
        LoadedDataset fromDir = DatasetLoader.load(golden);
        assertThat(fromTar.format()).isEqualTo(DatasetFormat.NETFLIX);
        assertThat(GoldenFormatsTest.list(fromTar.ratings())).isEqualTo(GoldenFormatsTest.list(fromDir.ratings()));
        assertThat(fromTar.items()).isEqualTo(fromDir.items());
        assertThat(fromTar.rejects().count(RejectReason.BAD_TIMESTAMP)).isEqualTo(1);
        assertThat(fromTar.rejects().samples().get(0).location())
                .isEqualTo("nf_prize_dataset.tar.gz!download/training_set/training_set/mv_0000002.txt:3");
        // The unpacked copy is gone once the loader is done.
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("streamrec-tar-"))
                    .filter(p -> Files.exists(p.resolve("download")))).isEmpty();
        }
    }

    @Test
    void entriesEscapingTheTargetAreRefused() throws IOException {
        Path archive = tmp.resolve("evil.tar");
        Files.write(archive, tar(Map.of("../../escape.txt", "1:\n1,3,2005-01-01\n".getBytes(StandardCharsets.US_ASCII))));
        assertThatThrownBy(() -> DatasetLoader.load(archive)).hasMessageContaining("outside the extraction directory");
        assertThat(tmp.resolve("../escape.txt").normalize()).doesNotExist();
    }
}
