package dev.segrel.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.MappingDiff.Change;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingDiffTest {

    private static Mapping mapping(String manifestation, String... segmentIds) {
        return new Mapping(manifestation,
                Arrays.stream(segmentIds).map(id -> Segment.of(id, 0, 10)).toList());
    }

    @Test
    void answersListingTheSameSegmentsDoNotDifferWhateverTheirOrder() {
        List<Mapping> stored = List.of(mapping("M2", "a", "b"), mapping("M3", "c"));
        List<Mapping> fresh = List.of(mapping("M3", "c"), mapping("M2", "b", "a"));

        MappingDiff diff = MappingDiff.between(stored, fresh);

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.changes()).isEmpty();
    }

    @Test
    void eachManifestationListsTheIdsTheFreshAnswerAddsAndThoseItRemovesInOrder() {
        List<Mapping> stored = List.of(mapping("M2", "z", "a", "b"));
        List<Mapping> fresh = List.of(mapping("M2", "b", "y", "c"));

        MappingDiff diff = MappingDiff.between(stored, fresh);

        assertThat(diff.changes()).containsExactly(new Change("M2", List.of("c", "y"), List.of("a", "z")));
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void changedManifestationsAreInIdOrderAndUnchangedOnesAreLeftOut() {
        List<Mapping> stored = List.of(mapping("M9", "x"), mapping("M5", "same"), mapping("M1", "old"));
        List<Mapping> fresh = List.of(mapping("M5", "same"), mapping("M9", "x", "x2"), mapping("M1", "new"));

        MappingDiff diff = MappingDiff.between(stored, fresh);

        assertThat(diff.changes()).extracting(Change::manifestationId).containsExactly("M1", "M9");
    }

    @Test
    void aManifestationReachedByOneAnswerOnlyIsAChangeEvenWhenItsMappingIsEmpty() {
        List<Mapping> stored = List.of(mapping("M2", "a"), mapping("GONE"));
        List<Mapping> fresh = List.of(mapping("M2", "a"), mapping("NEW"));

        MappingDiff diff = MappingDiff.between(stored, fresh);

        assertThat(diff.changes()).containsExactly(
                new Change("GONE", List.of(), List.of()),
                new Change("NEW", List.of(), List.of()));
    }

    @Test
    void nothingStoredMakesEveryFreshSegmentAnAddition() {
        MappingDiff diff = MappingDiff.between(List.of(), List.of(mapping("M2", "b", "a")));

        assertThat(diff.changes()).containsExactly(new Change("M2", List.of("a", "b"), List.of()));
    }

    @Test
    void aManifestationListedTwiceInOneAnswerCountsAsTheUnionOfItsSegments() {
        List<Mapping> stored = List.of(mapping("M2", "a"), mapping("M2", "b"));
        List<Mapping> fresh = List.of(mapping("M2", "a", "b"));

        assertThat(MappingDiff.between(stored, fresh).isEmpty()).isTrue();
    }
}
