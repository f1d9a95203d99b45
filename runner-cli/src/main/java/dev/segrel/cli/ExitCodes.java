package dev.segrel.cli;

/** The exit codes of every {@code segrel} command; the help footer and the README list them. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug): the message says what, {@code --verbose} adds the stack trace. */
    public static final int INTERNAL = 1;
    /** A usage error or bad input: unknown option, invalid span, unreadable file, bad configuration. */
    public static final int USAGE = 2;
    /** Something asked for does not exist: the manifestation, job or task. */
    public static final int NOT_FOUND = 3;
    /** A dependency could not be reached: Neo4j, PostgreSQL or SQS (or a port to listen on is taken, or a doctor check failed). */
    public static final int UNAVAILABLE = 4;

    /** The footer every command's help ends with. */
    public static final String FOOTER = """

            Exit codes:
              0  ok
              1  unexpected internal error (rerun with --verbose for the stack trace)
              2  usage error or bad input (unknown option, invalid span, unreadable
                 or malformed file, bad configuration, refused or unconfirmed action)
              3  not found (the manifestation, job or task does not exist)
              4  a dependency is unreachable (Neo4j, PostgreSQL, SQS), a port to
                 listen on is in use, or a doctor check failed
            """;

    private ExitCodes() {}
}
