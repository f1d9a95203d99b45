package dev.segrel.testkit.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts real JVMs (a worker, for kill, signal and chaos tests) on the calling test's class path,
 * with the JVM flags a user would pass (none for {@code sun.misc.Unsafe}), exactly the given environment, in an empty working folder (no developer's {@code .env}), and
 * their output appended to a log file.
 */
public final class JvmProcesses {

    private JvmProcesses() {}

    /**
     * Starts {@code mainClass} in a small client-tuned JVM.
     *
     * @param heap the maximum heap, as {@code -Xmx} takes it (e.g. {@code 192m})
     * @param environment the process's whole environment ({@code PATH} is added)
     */
    public static Process start(String mainClass, String heap, Map<String, String> environment, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(Files.createTempDirectory("segrel-jvm-").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return builder.start();
    }

    /** A fresh (emptied) log file {@code name.log} under {@code dir}, created with its folders. */
    public static Path logFile(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".log");
        Files.deleteIfExists(file);
        return file;
    }
}
