package io.streamrec.common.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ParentWatchTest {

    @Test
    void theChildIsToldWhenItsParentIsKilled() throws Exception {
        Process parent = new ProcessBuilder("sleep", "30").start();
        CountDownLatch gone = new CountDownLatch(1);
        ParentWatch.watch(Optional.of(parent.toHandle()), gone::countDown);
        assertThat(gone.await(300, TimeUnit.MILLISECONDS)).as("not while the parent lives").isFalse();
        parent.destroyForcibly(); // SIGKILL: no hook of the parent's runs
        assertThat(gone.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void aParentAlreadyGoneEndsTheChildAtOnce() {
        boolean[] ran = {false};
        ParentWatch.watch(Optional.empty(), () -> ran[0] = true);
        assertThat(ran[0]).isTrue();
    }
}
