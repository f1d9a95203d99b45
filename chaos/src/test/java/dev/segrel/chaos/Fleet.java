package dev.segrel.chaos;

import dev.segrel.core.config.Settings;
import dev.segrel.testkit.process.JvmProcesses;
import dev.segrel.testkit.time.Awaiting;
import dev.segrel.worker.WorkerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real worker JVMs ({@link WorkerMain} on this test's class path), one slot per worker: a slot can be
 * SIGKILLed or SIGTERMed and started again. Every process writes to its own log under
 * {@code target/chaos-logs/<scenario>/}.
 */
final class Fleet implements AutoCloseable {

    /** Log lines that mean a worker broke on its input or its loop died. */
    static final List<String> CRASH_MARKERS = List.of("Receive loop died", "Unexpected failure on message",
            "Exception in thread", "OutOfMemoryError", "StackOverflowError");

    private static final Pattern HTTP_PORT = Pattern.compile("Health and metrics on port (\\d+)");

    private final String scenario;
    private final Settings settings;
    private final Process[] slots;
    private final int[] generation;
    private final List<Path> logs = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int kills;
    private int terms;
    private int starts;

    /** The fleet of the running scenario: waits give up at once when all its workers are dead. */
    private static volatile Fleet current;

    Fleet(String scenario, Settings settings, int size) {
        this.scenario = scenario;
        this.settings = settings;
        this.slots = new Process[size];
        this.generation = new int[size];
        current = this;
    }

    /** Throws when every worker of the running scenario has died: nothing will make progress. */
    static void failIfAllDead() {
        Fleet fleet = current;
        if (fleet == null) {
            return;
        }
        synchronized (fleet) {
            boolean any = false;
            for (Process p : fleet.slots) {
                if (p == null || p.isAlive()) {
                    return;
                }
                any = true;
            }
            if (any) {
                String last = fleet.logs.isEmpty() ? "" : read(fleet.logs.get(fleet.logs.size() - 1));
                throw new AssertionError("every worker of " + fleet.scenario + " is dead; last log ends:\n"
                        + last.substring(Math.max(0, last.length() - 3000)));
            }
        }
    }

    /** Starts every slot. */
    Fleet startAll() {
        for (int i = 0; i < slots.length; i++) {
            start(i);
        }
        return this;
    }

    int size() {
        return slots.length;
    }

    /** Starts a worker in slot {@code i} (which must be empty or dead). */
    synchronized Process start(int i) {
        return start(i, Map.of());
    }

    synchronized Process start(int i, Map<String, String> overrides) {
        if (slots[i] != null && slots[i].isAlive()) {
            throw new IllegalStateException("worker " + i + " is running");
        }
        int gen = ++generation[i];
        String id = scenario + "-w" + i + "-" + gen;
        try {
            Path log = logFile(scenario, id);
            logs.add(log);
            slots[i] = launch(settings.with(overrides).with(Map.of("SEGREL_WORKER_ID", id)), log);
            starts++;
            return slots[i];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no release; returns the exit code (137). */
    synchronized int kill(int i) throws InterruptedException {
        Process p = slots[i];
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("worker " + i + " survived SIGKILL");
        }
        kills++;
        return p.exitValue();
    }

    /** SIGTERM and wait; returns how long the process took to exit. Records a problem unless it exits 0. */
    Duration term(int i, Duration atMost) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = slots[i];
        }
        long began = System.nanoTime();
        p.destroy();
        boolean exited = p.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        synchronized (this) {
            terms++;
            if (!exited) {
                problems.add("worker " + i + " did not exit within " + atMost + " of SIGTERM");
                p.destroyForcibly();
            } else if (p.exitValue() != 0) {
                problems.add("worker " + i + " exited " + p.exitValue() + " after SIGTERM");
            }
        }
        return took;
    }

    /** SIGTERM to every slot at once; returns the longest time to exit. */
    Duration termAll(Duration atMost) throws InterruptedException {
        long began = System.nanoTime();
        List<Process> running = new ArrayList<>();
        synchronized (this) {
            for (Process p : slots) {
                if (p != null && p.isAlive()) {
                    running.add(p);
                    p.destroy();
                }
            }
        }
        for (Process p : running) {
            boolean exited = p.waitFor(Math.max(1, atMost.toMillis() - (System.nanoTime() - began) / 1_000_000),
                    TimeUnit.MILLISECONDS);
            synchronized (this) {
                terms++;
                if (!exited) {
                    problems.add("a worker did not exit within " + atMost + " of SIGTERM");
                    p.destroyForcibly();
                } else if (p.exitValue() != 0) {
                    problems.add("a worker exited " + p.exitValue() + " after SIGTERM");
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** Slots whose process died without being told to (a crash). */
    synchronized List<String> unexpectedDeaths() {
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null && !slots[i].isAlive()) {
                dead.add("worker " + i + " exited " + slots[i].exitValue());
            }
        }
        return dead;
    }

    synchronized int kills() {
        return kills;
    }

    synchronized int starts() {
        return starts;
    }

    /** Problems seen so far: bad exits on SIGTERM, crash markers in any log. */
    synchronized List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        for (Path log : logs) {
            String text = read(log);
            for (String marker : CRASH_MARKERS) {
                if (text.contains(marker)) {
                    all.add(log.getFileName() + " contains \"" + marker + "\"");
                }
            }
        }
        return all;
    }

    synchronized List<Path> logs() {
        return List.copyOf(logs);
    }

    /**
     * Waits until the worker in slot {@code i} has logged that it started (its signal handling and
     * receive loop are up): a SIGTERM before that meets a JVM still booting, which exits 143, and is
     * not the fault a scenario means.
     */
    void awaitStarted(int i, Duration atMost) throws InterruptedException {
        Path log;
        String id;
        synchronized (this) {
            id = scenario + "-w" + i + "-" + generation[i];
            log = logs.stream().filter(p -> p.getFileName().toString().equals(id + ".log")).findFirst().orElseThrow();
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!read(log).contains("Worker " + id + " started")) {
            failIfAllDead();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("worker " + id + " did not start within " + atMost);
            }
            Thread.sleep(200);
        }
    }

    /** The HTTP port the worker in slot {@code i} logged (SEGREL_HTTP_PORT=0), when it has. */
    synchronized int httpPort(int i) {
        Path log = logs.stream().filter(p -> p.getFileName().toString().equals(scenario + "-w" + i + "-"
                + generation[i] + ".log")).findFirst().orElseThrow();
        Matcher m = HTTP_PORT.matcher(read(log));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Waits until the worker in slot {@code i} has logged its HTTP port, and returns it. */
    int awaitHttpPort(int i, Duration within) {
        return Awaiting.until(() -> httpPort(i), p -> p > 0, within);
    }

    /** {@link #awaitHttpPort} for every slot, in slot order. */
    int[] awaitHttpPorts(Duration within) {
        int[] ports = new int[size()];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = awaitHttpPort(i, within);
        }
        return ports;
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM to whatever still runs. */
    @Override
    public void close() {
        try {
            termAll(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (this) {
                for (Process p : slots) {
                    if (p != null) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    static Path logFile(String scenario, String name) throws IOException {
        return JvmProcesses.logFile(Path.of("target", "chaos-logs", scenario), name);
    }

    /** One worker JVM with exactly {@code settings} as its environment, in an empty folder (no .env). */
    static Process launch(Settings settings, Path log) throws IOException {
        return JvmProcesses.start(WorkerMain.class.getName(), "192m", settings.asMap(), log);
    }
}
