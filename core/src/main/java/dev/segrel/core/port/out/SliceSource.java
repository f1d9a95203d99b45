package dev.segrel.core.port.out;

import dev.segrel.core.domain.ManifestationSlice;

/**
 * Loads everything one manifestation contributes to the related-segments search as one
 * {@link ManifestationSlice}: its alignment pairs, the segments of its alignment annotations with
 * their links, and its segmentation. Implementations over a remote database should answer in one
 * round trip; caches decorate this port.
 *
 * <p><b>Threads.</b> Implementations must be safe for concurrent use; {@link #load} blocks until the
 * slice is loaded.
 *
 * <p><b>Errors.</b> An unreachable or failing store throws {@link GraphUnavailableException}
 * (transient), a busy one too. A manifestation unknown to the graph gets an empty slice, not an
 * error. Segments stored with an invalid span do not fail the load: they are kept in the slice's
 * {@link ManifestationSlice#defects()}, so that only the searches reaching them fail.
 */
public interface SliceSource {

    /**
     * The slice of one manifestation.
     *
     * @throws GraphUnavailableException when the store cannot be reached (transient)
     */
    ManifestationSlice load(String manifestationId);
}
