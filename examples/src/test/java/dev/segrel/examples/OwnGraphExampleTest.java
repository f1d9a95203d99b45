package dev.segrel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnGraphExampleTest {

    @Test
    void aServiceWithItsOwnGraphGetsTheSegmentationSegmentsUnderTheEnvelope() {
        // r2 [10,20) links to ta2 [12,20) and ta3 [20,30): envelope [12,30) covers t2 only
        List<Mapping> mappings = OwnGraphExample.relatedToSecondRootSegment();

        assertThat(mappings).containsExactly(new Mapping("tr", List.of(Segment.of("t2", 12, 30))));
    }

    @Test
    void mainPrintsOneLinePerRelatedSegment() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            OwnGraphExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("tr t2 [12, 30)" + System.lineSeparator());
    }
}
