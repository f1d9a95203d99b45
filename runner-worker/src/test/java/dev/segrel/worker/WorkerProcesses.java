package dev.segrel.worker;

import dev.segrel.core.config.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts real worker JVMs (WorkerMain) on this test's class path, for kill and signal tests. */
final class WorkerProcesses {

    private WorkerProcesses() {}

    static Process start(Settings settings, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // Guava and Netty still use it
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        // no .env of the developer's: run in an empty folder, with exactly these settings
        Path cwd = Files.createTempDirectory("segrel-worker-");
        builder.directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(settings.asMap());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return builder.start();
    }

    static Path logFile(String name) throws IOException {
        Path dir = Path.of("target", "worker-processes");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".log");
        Files.deleteIfExists(file);
        return file;
    }

    static String classPathSeparator() {
        return File.pathSeparator;
    }
}
