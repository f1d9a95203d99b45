package dev.segrel.cli.output;

import java.io.Console;

/** Whether the process talks to a person at a terminal (progress bars) or to a pipe or file (plain lines). */
public final class Terminal {

    private Terminal() {}

    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // JDK 22+ returns a console even when redirected; isTerminal() tells (absent from the --release 21 API)
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
