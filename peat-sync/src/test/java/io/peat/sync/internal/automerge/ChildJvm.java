package io.peat.sync.internal.automerge;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line of a child JVM that runs a main class of this module's tests with the
 * test class path, so that a native abort in the child is a test failure instead of the end of
 * Surefire. Stateless; any thread.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static List<String> command(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        cmd.add(java.toString());
        cmd.add("-Xshare:off");
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
