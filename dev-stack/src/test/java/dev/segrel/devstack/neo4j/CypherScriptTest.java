package dev.segrel.devstack.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CypherScriptTest {

    @Test
    void statementsAreSeparatedBySemicolonsAndTrimmed() {
        assertThat(CypherScript.split("  CREATE (a) ;\n\nCREATE (b);;  ;\nRETURN 1"))
                .containsExactly("CREATE (a)", "CREATE (b)", "RETURN 1");
    }

    @Test
    void semicolonsInsideQuotesAndBackticksDoNotSplit() {
        String script = "CREATE (:X {a: 'x;y', b: \"p;q\"});\nMATCH (`we;ird`) RETURN `we;ird`;";

        assertThat(CypherScript.split(script))
                .containsExactly("CREATE (:X {a: 'x;y', b: \"p;q\"})", "MATCH (`we;ird`) RETURN `we;ird`");
    }

    @Test
    void escapedQuotesStayInsideTheirString() {
        String script = "RETURN 'it\\'s; fine', \"say \\\"hi;\\\"\", 'back\\\\';RETURN `a``;b`;";

        assertThat(CypherScript.split(script))
                .containsExactly("RETURN 'it\\'s; fine', \"say \\\"hi;\\\"\", 'back\\\\'", "RETURN `a``;b`");
    }

    @Test
    void commentsAreDroppedAndTheirSemicolonsIgnored() {
        String script = "// header; not a statement\nCREATE (a) // trailing; comment\n;"
                + "/* block; comment\n over lines; */ CREATE (b);\nRETURN 'http://x/*y*/';";

        assertThat(CypherScript.split(script))
                .containsExactly("CREATE (a)", "CREATE (b)", "RETURN 'http://x/*y*/'");
    }

    @Test
    void cypherShellCommandsAreSkipped() {
        assertThat(CypherScript.split(":begin\nCREATE (a);\n:commit\n:begin\nCREATE (b);\n:commit\n"))
                .containsExactly("CREATE (a)", "CREATE (b)");
    }

    @Test
    void anUnterminatedStringIsReported() {
        assertThatThrownBy(() -> CypherScript.split("RETURN 'oops;"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unterminated string");
    }

    @Test
    void aStatementLongerThanTheReadBufferStaysWhole() {
        StringBuilder list = new StringBuilder("UNWIND [");
        for (int i = 0; i < 100_000; i++) {
            list.append(i == 0 ? "" : ", ").append("{id: 'id;").append(i).append("'}");
        }
        list.append("] AS row CREATE (:N {id: row.id})");
        String statement = list.toString();

        // a reader that hands out a few characters at a time, as a slow stream would
        StringReader slow = new StringReader(statement + ";\nRETURN 2;") {
            @Override
            public int read(char[] cbuf, int off, int len) throws java.io.IOException {
                return super.read(cbuf, off, Math.min(len, 7));
            }
        };
        List<String> out = new ArrayList<>();
        new CypherScript(slow).forEachRemaining(out::add);

        assertThat(statement.length()).isGreaterThan(1_000_000);
        assertThat(out).containsExactly(statement, "RETURN 2");
    }
}
