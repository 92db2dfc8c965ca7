package io.streamrec.model.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The isolation the GPU kernel relies on: with ND4J's JavaCPP on the parent class path (this module's test class path),
 * a child jar's {@code org.bytedeco.javacpp.Loader} and resources win, while the kernel interfaces stay the parent's.
 */
class ChildFirstClassLoaderTest {

    @TempDir
    Path dir;

    @Test
    void bytedecoClassesAndResourcesComeFromTheChildKernelInterfacesFromTheParent() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "no compiler in this JRE");
        Path src = Files.createDirectories(dir.resolve("src/org/bytedeco/javacpp")).resolve("Loader.java");
        Files.writeString(src, "package org.bytedeco.javacpp; public class Loader { public static String who() { return \"child\"; } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertThat(javac.run(null, null, null, "-d", classes.toString(), src.toString())).isZero();
        Path jar = dir.resolve("child.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("org/bytedeco/javacpp/Loader.class"));
            j.write(Files.readAllBytes(classes.resolve("org/bytedeco/javacpp/Loader.class")));
            j.closeEntry();
            j.putNextEntry(new JarEntry("META-INF/maven/org.bytedeco/javacpp/pom.properties"));
            j.write("version=child\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            j.closeEntry();
        }
        ClassLoader parent = getClass().getClassLoader();
        Class<?> parentLoader = Class.forName("org.bytedeco.javacpp.Loader", false, parent);
        try (ChildFirstClassLoader child = new ChildFirstClassLoader("t", new URL[]{jar.toUri().toURL()}, parent, List.of("org.bytedeco."))) {
            Class<?> childLoader = child.loadClass("org.bytedeco.javacpp.Loader");
            assertThat(childLoader).isNotSameAs(parentLoader);
            assertThat(childLoader.getMethod("who").invoke(null)).isEqualTo("child");
            assertThat(new String(child.getResource("META-INF/maven/org.bytedeco/javacpp/pom.properties").openStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8)).contains("version=child");
            assertThat(child.loadClass(MfKernel.class.getName())).isSameAs(MfKernel.class);
        }
    }
}
