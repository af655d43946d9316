package dev.ordersaga.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A pid file signals only the process it was written for; a clean stop removes it. */
class PidFileTest {

    @TempDir
    Path dir;

    private final PrintStream stderr = System.err;
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private Process child;

    @AfterEach
    void restore() {
        System.setErr(stderr);
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void aFileNamingThisJvmWithAnotherStartTimeIsNotSignalledAndIsRemoved() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Path file = dir.resolve("stack.pid");
        PidFile.write(file, self.pid(), self.info().startInstant().orElseThrow().minus(Duration.ofHours(1)),
                self.info().command().orElseThrow(), "");
        captureStderr();

        // were this JVM signalled, the test run would end here
        Orphans.kill(file, "test");

        assertThat(file).doesNotExist();
        assertThat(said.toString()).contains("stale pid file " + file, "pid " + self.pid() + " is now", "signalled nothing")
                .doesNotContain("stopping leftover process");
    }

    @Test
    void aFileNamingThisJvmWithAnotherCommandIsNotRecognised() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Path file = dir.resolve("app.pid");
        PidFile.write(file, self.pid(), self.info().startInstant().orElseThrow(), "/usr/bin/not-this-jvm", "");
        captureStderr();

        assertThat(PidFile.live(file)).isEmpty();
        assertThat(file).doesNotExist();
        assertThat(said.toString()).contains("stale pid file", "not /usr/bin/not-this-jvm");
    }

    @Test
    void aOneLineFileOfAnOlderVersionIsNotSignalledAndSaysWhatToDo() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path file = dir.resolve("order-app.pid");
        Files.writeString(file, Long.toString(pid));
        captureStderr();

        Orphans.kill(file, "test");

        assertThat(file).doesNotExist();
        assertThat(said.toString()).contains("no start time", "kill " + pid).doesNotContain("stopping leftover process");
    }

    @Test
    void aFileWrittenForARealChildIsRecognisedAndTheChildIsTerminated() throws Exception {
        child = new ProcessBuilder("sleep", "60").start();
        Path file = dir.resolve("sleep.pid");
        PidFile.write(file, child.toHandle());

        assertThat(PidFile.live(file)).map(ProcessHandle::pid).contains(child.pid());
        Orphans.kill(file, "test");

        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileOfAProcessThatIsGoneIsRemovedQuietly() throws Exception {
        child = new ProcessBuilder("true").start();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Path file = dir.resolve("gone.pid");
        PidFile.write(file, child.pid(), Instant.now(), "/usr/bin/true", "");
        captureStderr();

        assertThat(PidFile.live(file)).isEmpty();
        assertThat(file).doesNotExist();
        assertThat(said.toString()).isEmpty();
    }

    @Test
    void aCleanCloseRemovesThePidFile() throws Exception {
        AppProcess app = AppProcess.launch("sleeper", List.of("sleep", "60"), Map.of(), dir, 0, 0);
        child = app.process();
        Path file = dir.resolve("sleeper.pid");
        assertThat(PidFile.live(file)).map(ProcessHandle::pid).contains(child.pid());

        app.close();

        assertThat(child.isAlive()).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void stopSignalsTheStackItsPidFileNamesAndNothingElse() throws Exception {
        child = new ProcessBuilder("sleep", "60").start();
        PidFile.write(dir.resolve("stack.pid"), child.toHandle());

        LocalStack.stop(dir);

        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();

        ProcessHandle self = ProcessHandle.current();
        PidFile.write(dir.resolve("stack.pid"), self.pid(), self.info().startInstant().orElseThrow().plusSeconds(30),
                self.info().command().orElseThrow(), "");
        captureStderr();
        LocalStack.stop(dir);
        assertThat(said.toString()).contains("stale pid file");
        assertThat(dir.resolve("stack.pid")).doesNotExist();
    }

    @Test
    void aTestStackIsReapedOnlyWhenItsOwnerIsProvablyGone() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Path root = dir.resolve("test-stacks");
        Path ownedByAnOlderVersion = Files.createDirectories(root.resolve("a"));
        Files.writeString(ownedByAnOlderVersion.resolve("owner.pid"), Long.toString(self.pid()));
        Path ownedByAReusedPid = Files.createDirectories(root.resolve("b"));
        PidFile.write(ownedByAReusedPid.resolve("owner.pid"), self.pid(),
                self.info().startInstant().orElseThrow().minus(Duration.ofMinutes(5)), self.info().command().orElseThrow(), "");
        for (Path d : List.of(ownedByAnOlderVersion, ownedByAReusedPid)) {
            Files.setLastModifiedTime(d, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        }
        captureStderr();

        Orphans.reapTestStacks(root);

        assertThat(ownedByAnOlderVersion.resolve("owner.pid")).exists();
        assertThat(ownedByAReusedPid).doesNotExist();
    }

    private void captureStderr() {
        System.setErr(new PrintStream(said, true));
    }
}
