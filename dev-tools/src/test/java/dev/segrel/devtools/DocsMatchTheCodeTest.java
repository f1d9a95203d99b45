package dev.segrel.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.cli.CliContext;
import dev.segrel.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README and docs/cli.md name only flags and environment variables that the code defines: every
 * {@code segrel …} invocation in their code spans and blocks resolves to real commands and options,
 * and every {@code NEO4J_…}, {@code SEGREL_…}, {@code SQS_…} (and so on) name they mention is read
 * somewhere in the code or the scripts.
 */
class DocsMatchTheCodeTest {

    private static final Path ROOT = Path.of(System.getProperty("segrel.repository.root", "..")).toAbsolutePath().normalize();
    private static final Pattern CODE = Pattern.compile("```[a-z]*\\n(.*?)```|`([^`\\n]+)`", Pattern.DOTALL);
    /** {@code segrel} or {@code ./segrel} as a command word (not segrel_…, segrel-worker.jar, segrel's, segrel:). */
    private static final Pattern INVOCATION = Pattern.compile("(?<![\\w./-])(?:\\./)?segrel(?=[ \\t])([^\\n]*)");
    private static final Pattern OPTION = Pattern.compile("^\\[?(--?[a-zA-Z][a-zA-Z0-9-]*)");
    private static final Pattern ENV = Pattern.compile(
            "(?<![\\w<>-])((?:NEO4J|POSTGRES|SQS|AWS|DRAGONFLY|SEGREL|LOG|OTEL|JAVA|MAVEN)_[A-Z0-9_]*[A-Z0-9])(?![\\w*])");
    private static final Set<String> SHELL_OPERATORS = Set.of("|", "||", "&&", ";", "&", ">", ">>", "2>", "<", "#", "2>&1");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/cli.md"})
    void everyInvocationNamesRealCommandsAndOptions(String doc) {
        CommandLine cli = DevMain.commandLine(CliContext.of(() -> Settings.of(Map.of()), java.io.InputStream.nullInputStream(), () -> { }));
        List<String> problems = new ArrayList<>();
        for (String snippet : codeOf(read(ROOT.resolve(doc)))) {
            Matcher m = INVOCATION.matcher(snippet);
            while (m.find()) {
                check(cli, m.group(1), problems);
            }
        }
        assertThat(problems).as("in " + doc).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/cli.md"})
    void everyEnvironmentVariableNamedIsReadByTheCode(String doc) {
        Set<String> defined = definedVariables();
        Set<String> named = new TreeSet<>();
        Matcher m = ENV.matcher(read(ROOT.resolve(doc)));
        while (m.find()) {
            named.add(m.group(1));
        }

        assertThat(named).as("variables named in " + doc).isNotEmpty();
        assertThat(named).as("variables %s names that no code reads", doc).isSubsetOf(defined);
    }

    @Test
    void theCheckCatchesAnUnknownOptionCommandAndVariable() {
        CommandLine cli = DevMain.commandLine(CliContext.of(() -> Settings.of(Map.of()), java.io.InputStream.nullInputStream(), () -> { }));
        List<String> problems = new ArrayList<>();

        check(cli, " job create --manifestation M --no-such-flag", problems);
        check(cli, " queue dlq lisst", problems);
        check(cli, " cache invalidate --json | jq .deleted", problems);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("--no-such-flag");
        assertThat(problems.get(1)).contains("lisst");
        assertThat(definedVariables()).contains("SEGREL_CONCURRENCY", "NEO4J_URI", "LOG_FORMAT")
                .doesNotContain("SEGREL_NO_SUCH_SETTING");
    }

    @Test
    void everyCommandsHelpShowsExamples() {
        List<String> without = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(DevMain.commandLine(CliContext.of(() -> Settings.of(Map.of()), java.io.InputStream.nullInputStream(), () -> { }))));
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(todo.size() - 1);
            todo.addAll(c.getSubcommands().values());
            if (c.getSubcommands().isEmpty() && !c.getCommandName().equals("help")
                    && !c.getUsageMessage().contains("Examples:")) {
                without.add(c.getCommandSpec().qualifiedName());
            }
        }
        assertThat(without).isEmpty();
    }

    /** Walks the tokens after {@code segrel}: subcommands descend, options must exist on the command reached. */
    private static void check(CommandLine root, String rest, List<String> problems) {
        CommandLine current = root;
        for (String raw : rest.trim().split("\\s+")) {
            String token = raw.replaceAll("[`,;)'\"]+$", "");
            if (token.isEmpty() || SHELL_OPERATORS.contains(token) || token.startsWith(">") || token.startsWith("2>")
                    || token.startsWith("$(") || token.startsWith("(") || token.contains("…")) {
                return; // the end of the command line, or an elided one
            }
            Matcher option = OPTION.matcher(token);
            if (option.find()) {
                String name = option.group(1);
                if (current.getCommandSpec().findOption(name) == null) {
                    problems.add("segrel " + current.getCommandSpec().qualifiedName().replaceFirst("^segrel ?", "")
                            + ": no option " + name + " (in: segrel" + rest + ")");
                }
            } else if (current.getSubcommands().containsKey(token)) {
                current = current.getSubcommands().get(token);
            } else if (!current.getSubcommands().isEmpty() && token.matches("[a-z][a-z-]*")) {
                problems.add(current.getCommandSpec().qualifiedName() + ": no command " + token + " (in: segrel" + rest + ")");
                return;
            }
        }
    }

    private static List<String> codeOf(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(markdown);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    /**
     * Names the code reads: string literals of the main and test sources, and names in the scripts
     * and logging configurations.
     */
    private static Set<String> definedVariables() {
        Set<String> out = new TreeSet<>();
        Pattern literal = Pattern.compile("\"([A-Z][A-Z0-9_]+)\"");
        Pattern word = Pattern.compile("\\b([A-Z][A-Z0-9_]+)\\b");
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = ROOT.relativize(f).toString();
                if (rel.contains("/target/") || rel.startsWith(".git/") || f.getFileName().toString().equals(
                        DocsMatchTheCodeTest.class.getSimpleName() + ".java")) {
                    continue;
                }
                Pattern names = rel.endsWith(".java") && rel.contains("/src/") ? literal
                        : rel.endsWith(".sh") || rel.equals("segrel") || rel.startsWith(".ci/")
                                || (rel.endsWith(".xml") && rel.contains("/src/main/resources/")) ? word : null;
                if (names != null) {
                    Matcher m = names.matcher(read(f));
                    while (m.find()) {
                        out.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
