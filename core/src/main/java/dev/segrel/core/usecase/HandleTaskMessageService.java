package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A task message's way through the worker; see {@link HandleTaskMessage}. */
final class HandleTaskMessageService implements HandleTaskMessage {

    private static final Logger log = LoggerFactory.getLogger(HandleTaskMessageService.class);

    private final ProcessTask process;
    private final Batches batches;
    private final RejectedMessages rejected;
    private final RetryPolicy retry;
    private final Clock clock;
    private final RandomGenerator random;

    HandleTaskMessageService(ProcessTask process, Batches batches, RejectedMessages rejected, RetryPolicy retry,
            Clock clock, RandomGenerator random) {
        this.process = requireNonNull(process, "process is null");
        this.batches = requireNonNull(batches, "batches is null");
        this.rejected = requireNonNull(rejected, "rejected is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public Handled handle(Message message) {
        return handleAll(List.of(message)).get(0);
    }

    /**
     * The single-segment messages of the receive are one set; each batch message is a set of its own
     * (several run side by side), registered in its job's run before its segments are processed.
     */
    @Override
    public List<Handled> handleAll(List<Message> messages) {
        Handled[] handled = new Handled[messages.size()];
        List<Integer> singles = new ArrayList<>();
        List<Integer> batched = new ArrayList<>();
        TaskMessage.Parsed[] parsed = new TaskMessage.Parsed[messages.size()];
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            switch (TaskMessage.parse(message.body())) {
                case TaskMessage.Poison poison ->
                        handled[i] = deadLetter(message, "poison message: " + poison.reason(), true, List.of(), null);
                case TaskMessage.Parsed p -> {
                    parsed[i] = p;
                    if (p.batch() == null) {
                        singles.add(i);
                    } else {
                        Handled refused = register(message, p);
                        if (refused == null) {
                            batched.add(i);
                        } else {
                            handled[i] = refused;
                        }
                    }
                }
            }
        }
        if (!singles.isEmpty()) {
            processSet(messages, parsed, singles, handled);
        }
        if (batched.size() == 1) {
            processSet(messages, parsed, batched, handled);
        } else if (!batched.isEmpty()) {
            try (ExecutorService sets = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i : batched) {
                    sets.execute(() -> processSet(messages, parsed, List.of(i), handled));
                }
            }
        }
        return List.of(handled);
    }

    /**
     * A batch is recorded in its job's run before its segments are processed, so that its last one
     * announces it; null when recorded, else what becomes of the message.
     */
    private Handled register(Message message, TaskMessage.Parsed parsed) {
        Batch batch = parsed.batch();
        Batches.Registration registration;
        try {
            registration = batches.register(batch, clock.instant());
        } catch (StoreUnavailableException e) {
            Duration after = retry.backoff(1, random);
            log.warn("Could not record batch {} of job {} ({}); it comes back in {} ms", batch.key(), batch.jobId(),
                    Secrets.redact(String.valueOf(e.getMessage())), after.toMillis());
            return new Handled(new RetryAfter(after), List.of(), parsed.environment());
        }
        return switch (registration) {
            case Batches.UnknownJob unknown -> deadLetter(message, "unknown job: no job " + batch.jobId() + " for its "
                    + batch.segmentIds().size() + " segments", false, List.of(), parsed.environment());
            case Batches.OfAnotherManifestation other -> deadLetter(message, "job " + batch.jobId() + " is a job of "
                    + other.manifestationId() + ", not of text_id " + batch.manifestationId(), false, List.of(),
                    parsed.environment());
            case Batches.Registered registered -> {
                if (!registered.first()) {
                    log.info("Batch {} of job {} seen again in run {} ({} of {} segments still to do)", batch.key(),
                            batch.jobId(), registered.run(), registered.remaining(), batch.segmentIds().size());
                }
                yield null;
            }
        };
    }

    /** The tasks of the messages at {@code which}, processed as one set; each message's disposition into {@code handled}. */
    private void processSet(List<Message> messages, TaskMessage.Parsed[] parsed, List<Integer> which, Handled[] handled) {
        List<ProcessTask.Command> commands = new ArrayList<>();
        for (int i : which) {
            for (TaskRequest request : parsed[i].requests()) {
                commands.add(new ProcessTask.Command(request.key(), request.span(), messages.get(i).owner(),
                        request.manifestationId(), parsed[i].environment(), messages.get(i).trace()));
            }
        }
        List<ProcessTask.Outcome> outcomes = process.processAll(commands);
        int from = 0;
        for (int i : which) {
            int n = parsed[i].requests().size();
            handled[i] = dispose(messages.get(i), parsed[i], outcomes.subList(from, from + n));
            from += n;
        }
    }

    /** What becomes of a message once each of its tasks has its outcome. */
    private Handled dispose(Message message, TaskMessage.Parsed parsed, List<ProcessTask.Outcome> outcomes) {
        List<TaskRequest> requests = parsed.requests();
        String environment = parsed.environment();
        Duration retryAfter = null;
        List<String> refusals = new ArrayList<>();
        List<String> alreadyDone = new ArrayList<>();
        for (ProcessTask.Outcome outcome : outcomes) {
            switch (outcome) {
                case ProcessTask.Done done -> { }
                case ProcessTask.AlreadyDone done -> alreadyDone.add(done.key().segmentId() + " (" + done.why() + ")");
                case ProcessTask.RetryLater later ->
                        retryAfter = retryAfter == null || later.after().compareTo(retryAfter) < 0 ? later.after() : retryAfter;
                case ProcessTask.Failed failed -> refusals.add(failed.key() + ": " + failed.reason());
                case ProcessTask.Rejected refused -> refusals.add(refused.key() + ": " + refused.reason());
            }
        }
        if (!alreadyDone.isEmpty()) {
            // one line per message, whatever its size
            log.info("Job {}: {} of {} segments had nothing to do: {}", requests.get(0).jobId(), alreadyDone.size(),
                    requests.size(), String.join(", ", alreadyDone.subList(0, Math.min(SetLog.NAMED, alreadyDone.size())))
                            + (alreadyDone.size() > SetLog.NAMED ? ", ..." : ""));
        }
        if (retryAfter != null) {
            // the tasks that are done will be no-ops when the message comes back
            return new Handled(new RetryAfter(clamp(retryAfter)), outcomes, environment);
        }
        if (!refusals.isEmpty()) {
            return deadLetter(message, summary(refusals, requests.size()), false, outcomes, environment);
        }
        return new Handled(new Acknowledge(), outcomes, environment);
    }

    /** Records the refusal, then says to dead-letter; a store that cannot record it gets the message back later. */
    private Handled deadLetter(Message message, String reason, boolean poison, List<ProcessTask.Outcome> outcomes,
            String environment) {
        String safe = Secrets.redact(reason);
        try {
            rejected.record(message.messageId(), message.body(), safe, clock.instant());
        } catch (StoreUnavailableException e) {
            Duration after = retry.backoff(1, random);
            log.error("Could not record refused message {} ({}); it comes back in {} ms", message.messageId(),
                    Secrets.redact(String.valueOf(e.getMessage())), after.toMillis());
            return new Handled(new RetryAfter(after), outcomes, environment);
        }
        log.warn("Dead-lettering message {}: {}", message.messageId(), safe);
        return new Handled(new DeadLetter(safe, poison), outcomes, environment);
    }

    /**
     * One readable line for the refused segments of a message: all of them when there are few, else
     * how many of how many, the first {@value SetLog#NAMED}, and how many more.
     */
    static String summary(List<String> refusals, int segments) {
        if (segments == 1 || refusals.size() <= 1) {
            return String.join("; ", refusals);
        }
        return refusals.size() + " of " + segments + " segments refused: " + SetLog.firstAndMore(refusals);
    }

    private static Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(TaskQueue.MAX_VISIBILITY) > 0 ? TaskQueue.MAX_VISIBILITY : d;
    }

    @Override
    public int extendLeases(Instant now) {
        return process.extendLeases(now);
    }

    @Override
    public int releaseAll(Instant now) {
        return process.releaseAll(now);
    }

    @Override
    public void stopWaiting() {
        process.stopWaiting();
    }
}
