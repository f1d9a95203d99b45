package dev.segrel.testkit.graph;

import dev.segrel.core.port.out.AlignmentGraph;

class InMemoryAlignmentGraphTest extends AlignmentGraphContract {

    @Override
    protected AlignmentGraph graphOf(GraphFixture f) {
        return f.toInMemoryGraph();
    }
}
