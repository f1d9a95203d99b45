package dev.segrel.worker;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana template query) reads: what is left once the
 * strings, label matchers, grouping label lists, ranges, offsets, Grafana variables, numbers,
 * keywords and the names of functions and aggregations are taken out. Good enough for the
 * expressions segrel ships, and strict: anything left that looks like a name is a metric.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-z]+");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w:])(?:0x[0-9a-fA-F]+|[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?[a-z]*)");
    /** Grafana's template query {@code label_values(metric, label)}: the label is not a metric. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "Inf", "NaN", "start", "end");

    private PromQl() {}

    /** The metric names {@code expression} selects, in order of appearance. */
    static Set<String> metricNames(String expression) {
        String e = expression;
        Matcher labelValues = LABEL_VALUES.matcher(e);
        if (labelValues.matches()) {
            e = labelValues.group(1);
        }
        e = STRING.matcher(e).replaceAll(" ");
        e = LABEL_MATCHERS.matcher(e).replaceAll(" ");
        e = GROUPING.matcher(e).replaceAll(" ");
        e = RANGE.matcher(e).replaceAll(" ");
        e = OFFSET.matcher(e).replaceAll(" ");
        e = GRAFANA_VARIABLE.matcher(e).replaceAll(" ");
        e = NUMBER.matcher(e).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(e);
        while (m.find()) {
            String name = m.group();
            if (KEYWORDS.contains(name) || isCall(e, m.end())) {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    /** A name followed by an opening parenthesis (perhaps after a grouping clause taken out) is a function. */
    private static boolean isCall(String e, int end) {
        int i = end;
        while (i < e.length() && Character.isWhitespace(e.charAt(i))) {
            i++;
        }
        return i < e.length() && e.charAt(i) == '(';
    }
}
