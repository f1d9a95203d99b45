package dev.segrel.cli;

import dev.segrel.core.config.Settings;

/**
 * Opens the alignment graph the settings point at. Injected by {@link Main} so that tests choose the
 * graph and the configuration.
 */
@FunctionalInterface
public interface GraphConnector {

    /**
     * Connects and checks that the graph answers.
     *
     * @throws dev.segrel.core.port.out.GraphUnavailableException when it cannot be reached or refuses
     *     the credentials (message without password)
     * @throws CliException with {@link ExitCodes#USAGE} when the configuration is invalid
     */
    ConnectedGraph connect(Settings settings);
}
