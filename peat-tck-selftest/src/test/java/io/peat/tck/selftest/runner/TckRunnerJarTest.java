package io.peat.tck.selftest.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded runner jar, as a user runs it: {@code java -jar peat-tck-<version>-runner.jar} in a
 * child JVM, the transport given with {@code --classpath}.
 */
class TckRunnerJarTest {

    /** The project root: Surefire runs this module's tests in the module directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theRunnerJarRunsTheKitAgainstATransportOnItsClassPath(@TempDir Path dir) throws Exception {
        Path jar = runnerJar();
        Path inmemClasses = ROOT.resolve("peat-transport-inmem/target/classes");
        Path inmemTestClasses = ROOT.resolve("peat-transport-inmem/target/test-classes");
        assertTrue(Files.isDirectory(inmemClasses), inmemClasses + " is missing: run ./mvnw install first");
        assertTrue(Files.isDirectory(inmemTestClasses), inmemTestClasses + " (its kit fixture) is missing: run ./mvnw install first");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-jar", jar.toString(), "--transport", "inmem", "--classpath",
                inmemClasses + java.io.File.pathSeparator + inmemTestClasses,
                "--select", "S1"));
        Path output = dir.resolve("output.txt");
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean exited;
        try {
            exited = p.waitFor(120, TimeUnit.SECONDS);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(exited, "the runner did not finish within 120 s; output so far:\n" + out);

        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("PASS  required  S1.1  ")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("PASS  required  S1.2  ")), out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("FAIL")), out);
        assertTrue(out.contains("InMemoryFixtureFactory"), "the transport's own fixture was not used: " + out);
        assertTrue(out.lines().anyMatch("TCK inmem: 2 passed, 0 failed, 0 skipped"::equals), out);
    }

    private static Path runnerJar() throws IOException {
        Path target = ROOT.resolve("peat-tck/target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, "peat-tck-*-runner.jar")) {
                ds.forEach(jars::add);
            }
        }
        if (jars.size() != 1) {
            fail("expected one " + target + "/peat-tck-*-runner.jar, found " + jars
                    + ": build it with ./mvnw -q -B install -DskipTests (or run this test through ./mvnw verify)");
        }
        return jars.get(0);
    }
}
