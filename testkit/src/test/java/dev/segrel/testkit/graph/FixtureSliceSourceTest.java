package dev.segrel.testkit.graph;

import dev.segrel.core.port.out.SliceSource;

class FixtureSliceSourceTest extends SliceSourceContract {

    @Override
    protected SliceSource sliceSourceOf(GraphFixture fixture) {
        return new FixtureSliceSource(fixture);
    }
}
