package dev.segrel.cli.output;

import dev.segrel.core.json.JsonWriter;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option every command that prints data shares: with it, the command prints one
 * JSON document on stdout and nothing else; without it, text for people. Documents are written by
 * core's JSON writer, the one codec of the mappings and message formats.
 */
public final class JsonOutput {

    @Option(names = "--json", description = "Print the result as JSON on stdout, and nothing else.")
    boolean json;

    /** True when {@code --json} was given. */
    public boolean enabled() {
        return json;
    }

    /** Prints {@code document} (maps, lists and plain values) as compact JSON with {@code --json}, else {@code text}. */
    public void print(PrintWriter out, Object document, String text) {
        out.println(json ? JsonWriter.write(document) : text);
        out.flush();
    }
}
