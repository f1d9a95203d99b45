package dev.segrel.devtools;

import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks for {@code dev up}: a taken port fails fast with one line, before a server starts. */
final class Ports {

    private Ports() {}

    /**
     * Throws {@link CliException} with {@link ExitCodes#UNAVAILABLE} when {@code 127.0.0.1:port} is
     * taken. Port 0 (any free port) always passes.
     */
    static void requireFree(int port, String what, String option) {
        if (port < 0 || port > 65535) {
            throw new CliException(ExitCodes.USAGE, option + " must be a port in [0, 65535], was " + port);
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot listen on 127.0.0.1:" + port + " for " + what
                    + ": the port is in use (choose another with " + option + ")", e);
        }
    }

    static boolean causedByBind(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException || (c.getMessage() != null && c.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }
}
