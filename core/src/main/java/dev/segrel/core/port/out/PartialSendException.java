package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link TaskQueue#send} delivered some bodies but not all. {@link #failed()} maps the index (in the
 * list given to {@code send}) of every body that was <i>not</i> sent to the queue's reason; every
 * other body was sent. Resending exactly the failed ones is safe; resending all would duplicate
 * the others (harmless for task messages, which are idempotent, but wasteful).
 *
 * <p>Transient as a whole, though a reason may be permanent (e.g. a body over the queue's size limit).
 */
public class PartialSendException extends QueueUnavailableException {

    private static final long serialVersionUID = 1L;

    private final transient Map<Integer, String> failed;

    public PartialSendException(Map<Integer, String> failed, int attempted) {
        super(message(failed, attempted));
        this.failed = Map.copyOf(requireNonNull(failed, "failed is null"));
    }

    /** Index of each body not sent, to the reason; sorted by index. */
    public Map<Integer, String> failed() {
        return new TreeMap<>(failed);
    }

    /** The indexes of the bodies not sent, ascending. */
    public List<Integer> failedIndexes() {
        return List.copyOf(new TreeMap<>(failed).keySet());
    }

    private static String message(Map<Integer, String> failed, int attempted) {
        Map.Entry<Integer, String> first = new TreeMap<>(failed).firstEntry();
        return failed.size() + " of " + attempted + " messages were not sent; first: #" + first.getKey() + ": "
                + first.getValue();
    }
}
