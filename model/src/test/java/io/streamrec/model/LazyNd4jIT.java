package io.streamrec.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java path never loads ND4J (whose native backend takes seconds to start). Checked in a fresh JVM, since other
 * tests in this JVM do load it.
 */
class LazyNd4jIT {

    /** Child-JVM entry point: runs the default learner, then reports which ND4J classes got loaded. */
    public static void main(String[] args) throws Exception {
        boolean nd4j = args.length > 0 && args[0].equals("nd4j");
        MfHyperParameters p = nd4j ? TestParams.of("kernel=nd4j") : MfHyperParameters.defaults();
        OnlineModel model = OnlineModels.create(ModelKind.MF, p);
        MiniBatch b = new MiniBatch(8);
        b.add(1, 2, 4f, 0);
        b.add(3, 2, 2f, 0);
        model.process(b, new RowTable(), new RowTable());
        Method find = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        find.setAccessible(true);
        ClassLoader cl = LazyNd4jIT.class.getClassLoader();
        System.out.println("nd4j-factory-loaded=" + (find.invoke(cl, "org.nd4j.linalg.factory.Nd4j") != null));
        System.out.println("nd4j-kernel-loaded=" + (find.invoke(cl, "io.streamrec.model.kernel.Nd4jMfKernel") != null));
    }

    private static String runChild(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java));
        cmd.addAll(io.streamrec.common.config.JvmOptions.FLINK_OPENS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LazyNd4jIT.class.getName(), mode));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void javaKernelNeverLoadsNd4j() throws Exception {
        String out = runChild("java");
        assertThat(out).contains("nd4j-factory-loaded=false").contains("nd4j-kernel-loaded=false");
    }

    @Test
    void nd4jKernelLoadsItWhenSelected() throws Exception {
        // The probe's positive control: the check does see ND4J when it is used.
        String out = runChild("nd4j");
        assertThat(out).contains("nd4j-factory-loaded=true").contains("nd4j-kernel-loaded=true");
    }
}
