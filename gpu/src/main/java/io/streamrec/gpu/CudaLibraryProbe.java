package io.streamrec.gpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says which of the system libraries JavaCPP's CUDA JNI libraries link against are absent. JavaCPP itself only reports
 * "no jnicudart in java.library.path" when, say, the driver's {@code libcuda.so.1} is missing; this looks the sonames up
 * in the folders the dynamic linker searches so the error can name the missing piece.
 *
 * @param folders where to look, in order
 */
public record CudaLibraryProbe(List<Path> folders) {

    /** Soname, and what it is, for each library the kernel needs (from {@code readelf -d} of libjnicudart/nvrtc/cublas). */
    public static final Map<String, String> REQUIRED = requiredLibraries();

    private static Map<String, String> requiredLibraries() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("libcuda.so.1", "the NVIDIA driver's CUDA library; CUDA 13 needs driver 580 or newer");
        m.put("libcudart.so.13", "the CUDA 13 runtime");
        m.put("libnvrtc.so.13", "NVRTC, CUDA 13's run-time compiler");
        m.put("libcublas.so.13", "cuBLAS 13");
        m.put("libcublasLt.so.13", "cuBLASLt 13, which cuBLAS needs");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The folders of LD_LIBRARY_PATH, java.library.path, /etc/ld.so.conf (with its includes) and the usual CUDA places. */
    public static CudaLibraryProbe system() {
        Set<Path> dirs = new LinkedHashSet<>();
        addPathList(dirs, System.getenv("LD_LIBRARY_PATH"));
        addPathList(dirs, System.getProperty("java.library.path"));
        readLdConf(dirs, Path.of("/etc/ld.so.conf"), 0);
        for (String d : List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
                "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/wsl/lib")) {
            dirs.add(Path.of(d));
        }
        return new CudaLibraryProbe(List.copyOf(dirs));
    }

    /** The required sonames found in none of the folders, with what each is. Empty when all are present. */
    public Map<String, String> missing() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> lib : REQUIRED.entrySet()) {
            if (find(lib.getKey()) == null) {
                out.put(lib.getKey(), lib.getValue());
            }
        }
        return out;
    }

    /** The first folder holding {@code soname}, or null. */
    public Path find(String soname) {
        for (Path dir : folders) {
            if (Files.exists(dir.resolve(soname))) {
                return dir.resolve(soname);
            }
        }
        return null;
    }

    private static void addPathList(Set<Path> dirs, String list) {
        if (list == null) {
            return;
        }
        for (String p : list.split(java.io.File.pathSeparator)) {
            if (!p.isBlank()) {
                dirs.add(Path.of(p));
            }
        }
    }

    private static void readLdConf(Set<Path> dirs, Path conf, int depth) {
        if (depth > 4 || !Files.isReadable(conf)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(conf);
        } catch (IOException e) {
            return; // an unreadable ld.so.conf only narrows the search; the probe is advice, not the loader
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("include ")) {
                for (Path inc : glob(line.substring("include ".length()).strip())) {
                    readLdConf(dirs, inc, depth + 1);
                }
            } else {
                dirs.add(Path.of(line));
            }
        }
    }

    private static List<Path> glob(String pattern) {
        Path p = Path.of(pattern);
        Path dir = p.getParent();
        List<Path> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p.getFileName().toString())) {
            s.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
