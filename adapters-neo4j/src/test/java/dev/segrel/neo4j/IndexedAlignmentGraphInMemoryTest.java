package dev.segrel.neo4j;

import dev.segrel.testkit.graph.FixtureSliceSource;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.testkit.graph.AlignmentGraphContract;
import dev.segrel.testkit.graph.GraphFixture;

/** The port contract over slices built straight from the fixture (no database). */
class IndexedAlignmentGraphInMemoryTest extends AlignmentGraphContract {

    @Override
    protected AlignmentGraph graphOf(GraphFixture f) {
        return IndexedAlignmentGraph.over(f.toInMemoryGraph(), new FixtureSliceSource(f));
    }
}
