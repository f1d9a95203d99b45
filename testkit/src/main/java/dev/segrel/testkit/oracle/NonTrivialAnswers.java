package dev.segrel.testkit.oracle;

import dev.segrel.core.domain.Mapping;
import java.util.Collection;
import java.util.List;

/**
 * A guard on expected answers: a suite whose expected answers are all empty, or never reach past
 * the first level, would pass against a search that returns nothing or drops a level.
 */
public final class NonTrivialAnswers {

    private NonTrivialAnswers() {}

    /**
     * Checks that no answer is empty, that every mapping of every answer holds a segment, and that
     * at least {@code minDeep} answers reach two manifestations or more (two BFS levels).
     *
     * @throws IllegalStateException naming what is trivial
     */
    public static void require(Collection<List<Mapping>> answers, int minDeep) {
        if (answers.isEmpty()) {
            throw new IllegalStateException("no expected answers at all");
        }
        long deep = 0;
        for (List<Mapping> answer : answers) {
            if (answer.isEmpty()) {
                throw new IllegalStateException("an expected answer is empty: " + answer);
            }
            for (Mapping m : answer) {
                if (m.segments().isEmpty()) {
                    throw new IllegalStateException("an expected mapping has no segment: " + answer);
                }
            }
            if (answer.size() >= 2) {
                deep++;
            }
        }
        if (deep < minDeep) {
            throw new IllegalStateException(deep + " expected answers reach two levels, fewer than " + minDeep);
        }
    }
}
