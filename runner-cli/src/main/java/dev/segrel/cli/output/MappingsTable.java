package dev.segrel.cli.output;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The readable answer of {@code segrel related}: one row per related segment. */
public final class MappingsTable {

    private static final String[] HEADER = {"MANIFESTATION", "SEGMENT", "START", "END"};

    private MappingsTable() {}

    /**
     * Prints the table, or one line saying that nothing is related.
     *
     * @param what the query, as shown in that line (e.g. {@code M1 [0, 10)})
     */
    public static void print(List<Mapping> mappings, String what, PrintWriter out) {
        if (mappings.isEmpty()) {
            out.println("No other manifestation is related to " + what + ".");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Mapping mapping : mappings) {
            if (mapping.segments().isEmpty()) {
                rows.add(new String[] {mapping.manifestationId(), "(no segment overlaps)", "", ""});
            }
            for (Segment s : mapping.segments()) {
                rows.add(new String[] {mapping.manifestationId(), s.id(),
                        Integer.toString(s.span().start()), Integer.toString(s.span().end())});
            }
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            line.append(pad(row[0], widths[0], false)).append("  ");
            line.append(pad(row[1], widths[1], false)).append("  ");
            line.append(pad(row[2], widths[2], true)).append("  ");
            line.append(pad(row[3], widths[3], true));
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pad(String text, int width, boolean right) {
        String fill = " ".repeat(width - text.length());
        return right ? fill + text : text + fill;
    }
}
