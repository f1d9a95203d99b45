package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a stored answer differs from a fresh one, per manifestation: the segment ids the fresh answer
 * adds and those it removes. A manifestation reached by one answer only is a change even when its
 * mapping is empty. Manifestations are in id order; empty when the answers list the same segments.
 */
public record MappingDiff(List<Change> changes) {

    /** The change of one manifestation; ids in order. */
    public record Change(String manifestationId, List<String> added, List<String> removed) {
        public Change {
            requireNonNull(manifestationId, "manifestationId is null");
            added = List.copyOf(requireNonNull(added, "added is null"));
            removed = List.copyOf(requireNonNull(removed, "removed is null"));
        }
    }

    public MappingDiff {
        changes = List.copyOf(requireNonNull(changes, "changes is null"));
    }

    public static MappingDiff between(List<Mapping> stored, List<Mapping> fresh) {
        Map<String, TreeSet<String>> before = ids(stored);
        Map<String, TreeSet<String>> after = ids(fresh);
        TreeSet<String> manifestations = new TreeSet<>(before.keySet());
        manifestations.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (String m : manifestations) {
            TreeSet<String> was = before.getOrDefault(m, new TreeSet<>());
            TreeSet<String> now = after.getOrDefault(m, new TreeSet<>());
            TreeSet<String> added = new TreeSet<>(now);
            added.removeAll(was);
            TreeSet<String> removed = new TreeSet<>(was);
            removed.removeAll(now);
            if (!added.isEmpty() || !removed.isEmpty() || before.containsKey(m) != after.containsKey(m)) {
                changes.add(new Change(m, List.copyOf(added), List.copyOf(removed)));
            }
        }
        return new MappingDiff(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    private static Map<String, TreeSet<String>> ids(List<Mapping> mappings) {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            TreeSet<String> set = out.computeIfAbsent(m.manifestationId(), k -> new TreeSet<>());
            m.segments().forEach(s -> set.add(s.id()));
        }
        return out;
    }
}
