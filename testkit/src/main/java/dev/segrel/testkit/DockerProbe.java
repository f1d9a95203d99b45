package dev.segrel.testkit;

import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Asks Testcontainers whether a Docker engine answers (under a second when none does). Without one,
 * Testcontainers' {@code org.testcontainers.dockerclient} loggers report every strategy they tried
 * and then an ERROR, although the tests go on in process as intended: under logback, those loggers
 * are silenced for the question, and stay silent when no engine answered.
 */
final class DockerProbe {

    static final String DOCKER_CLIENT_LOGGER = "org.testcontainers.dockerclient";

    private DockerProbe() {}

    static boolean answers() {
        Runnable restore = silence(DOCKER_CLIENT_LOGGER);
        boolean answered;
        try {
            answered = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            answered = false;
        }
        if (answered) {
            restore.run();
        }
        return answered;
    }

    /** Turns a logger off when logback is the SLF4J provider; returns what undoes it. */
    private static Runnable silence(String loggerName) {
        if (!LoggerFactory.getILoggerFactory().getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return () -> {};
        }
        return Logback.silence(loggerName);
    }

    /** Loaded only when logback is on the class path. */
    private static final class Logback {
        static Runnable silence(String loggerName) {
            var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(loggerName);
            ch.qos.logback.classic.Level before = logger.getLevel();
            logger.setLevel(ch.qos.logback.classic.Level.OFF);
            return () -> logger.setLevel(before);
        }
    }
}
