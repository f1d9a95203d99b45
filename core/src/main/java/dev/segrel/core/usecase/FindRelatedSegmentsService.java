package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.internal.RelatedSegmentsSearch;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.out.AlignmentGraph;
import java.util.List;

final class FindRelatedSegmentsService implements FindRelatedSegments {

    private final AlignmentGraph graph;
    private final RelatedSegmentsSearch search;

    FindRelatedSegmentsService(AlignmentGraph graph) {
        this.graph = requireNonNull(graph, "graph is null");
        this.search = new RelatedSegmentsSearch(graph);
    }

    @Override
    public Result find(Query query) {
        requireNonNull(query, "query is null");
        if (!graph.manifestationExists(query.manifestationId())) {
            return new UnknownManifestation(query.manifestationId());
        }
        return new Related(mappings(query));
    }

    @Override
    public List<Mapping> mappings(Query query) {
        requireNonNull(query, "query is null");
        return search.search(query.manifestationId(), query.span(), query.mode());
    }
}
