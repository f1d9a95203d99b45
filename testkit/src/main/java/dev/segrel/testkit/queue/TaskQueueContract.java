package dev.segrel.testkit.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.QueueAdmin.QueueStats;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import dev.segrel.testkit.time.Awaiting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link TaskQueue} does. Extend it with a factory for a fresh, empty queue that has a
 * dead-letter queue, and its {@link QueueAdmin} (which the checks count and read dead letters with).
 *
 * <p>Tests never wait for a visibility timeout to pass: they release messages with a visibility of
 * zero. The only real waiting is the long poll itself (about one second, once).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TaskQueueContract {

    /** A message as found in the dead-letter queue. */
    public record DeadLettered(String body, String reason) {}

    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration SHORT_WAIT = Duration.ofSeconds(1);

    protected TaskQueue queue;
    protected QueueAdmin admin;

    /** A new, empty queue with a dead-letter queue and a visibility timeout of at least 30 s. */
    protected abstract TaskQueue newQueue();

    /** The administration of {@code queue}, one that {@link #newQueue()} made. */
    protected abstract QueueAdmin adminOf(TaskQueue queue);

    /** Every message now in the dead-letter queue, with its reason. */
    protected List<DeadLettered> deadLettered() {
        return admin.peekDeadLetters(100).stream().map(d -> new DeadLettered(d.body(), d.reason())).toList();
    }

    /** The clock the queue stamps {@link QueuedMessage#sentAt()} with. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @BeforeEach
    void freshQueue() {
        queue = newQueue();
        admin = adminOf(queue);
    }

    @Test
    void receiveWithoutWaitOnAnEmptyQueueReturnsNothingAtOnce() {
        // "at once": it returns although nothing is ever sent, so it cannot be waiting for a message;
        // how fast is a figure for a benchmark, not a bound for a contract
        List<QueuedMessage> got = queue.receive(10, NO_WAIT);

        assertThat(got).isEmpty();
        assertThat(admin.stats().visible()).isZero();
    }

    @Test
    void aSentMessageIsReceivedOnceWithItsBodyReceiveCountAndSendTime() {
        Instant before = clock().instant().minusSeconds(1);
        queue.send(List.of("{\"k\":\"é 中 😀 \\\" '; DROP TABLE x;--\"}"));
        Instant after = clock().instant().plusSeconds(1);

        List<QueuedMessage> got = receiveAtLeast(1, 10);

        assertThat(got).hasSize(1);
        QueuedMessage m = got.get(0);
        assertThat(m.body()).isEqualTo("{\"k\":\"é 中 😀 \\\" '; DROP TABLE x;--\"}");
        assertThat(m.receiveCount()).isEqualTo(1);
        assertThat(m.sentAt()).isBetween(before, after);
        assertThat(m.messageId()).isNotBlank();
        assertThat(m.receiptHandle()).isNotBlank();
    }

    @Test
    void aMessageSentWithATraceContextIsReceivedWithIt() {
        TraceContext trace = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "v=1");
        queue.send(List.of("traced"), trace);
        queue.send(List.of("plain"));

        List<QueuedMessage> got = receiveAtLeast(2, 10);

        assertThat(got).extracting(QueuedMessage::body).containsExactlyInAnyOrder("traced", "plain");
        for (QueuedMessage m : got) {
            assertThat(m.trace()).as(m.body()).isEqualTo(m.body().equals("traced") ? trace : null);
        }
    }

    @Test
    void aReceivedMessageIsInvisibleToOtherReceivers() {
        queue.send(List.of("a"));
        receiveAtLeast(1, 10);

        assertThat(queue.receive(10, NO_WAIT)).isEmpty();
    }

    @Test
    void receiveReturnsAtMostMaxAndSendAndDeleteBatchMoreThanTen() {
        List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "m" + i).toList();
        queue.send(bodies);

        List<QueuedMessage> first = queue.receive(3, SHORT_WAIT);
        assertThat(first).hasSizeBetween(1, 3);
        List<QueuedMessage> all = new ArrayList<>(first);
        for (int round = 0; round < 30 && all.size() < 25; round++) {
            List<QueuedMessage> got = queue.receive(10, SHORT_WAIT);
            assertThat(got).hasSizeLessThanOrEqualTo(10);
            all.addAll(got);
        }

        assertThat(all).extracting(QueuedMessage::body).containsExactlyInAnyOrderElementsOf(bodies);
        queue.delete(all);
        assertThat(admin.stats()).isEqualTo(new QueueStats(0, 0, 0, OptionalLong.of(0)));
    }

    @Test
    void aWaitingReceiveReturnsAsSoonAsAMessageArrives() throws Exception {
        CompletableFuture<List<QueuedMessage>> waiting = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().start(() -> waiting.complete(queue.receive(1, Duration.ofSeconds(15))));
        Awaiting.until(() -> insideReceive(receiver) || waiting.isDone(), ready -> ready, Duration.ofSeconds(10));

        queue.send(List.of("late"));

        // the message sent after the receive began is what that receive returns: a receive that did not
        // wait would have returned nothing (its latency is a benchmark figure, not a contract bound)
        List<QueuedMessage> got = waiting.get(30, TimeUnit.SECONDS);
        assertThat(got).extracting(QueuedMessage::body).containsExactly("late");
    }

    @Test
    void anEmptyLongPollWaitsForItsWaitThenReturnsNothing() {
        long t0 = System.nanoTime();

        List<QueuedMessage> got = queue.receive(1, SHORT_WAIT);

        assertThat(got).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aDeletedMessageIsNeverReceivedAgain() {
        queue.send(List.of("a"));
        List<QueuedMessage> got = receiveAtLeast(1, 10);

        queue.delete(got);
        queue.changeVisibility(got, Duration.ZERO);

        assertThat(queue.receive(10, NO_WAIT)).isEmpty();
        assertThat(admin.stats()).isEqualTo(new QueueStats(0, 0, 0, OptionalLong.of(0)));
    }

    @Test
    void releasingWithVisibilityZeroMakesAMessageReceivableAtOnceWithAHigherReceiveCount() {
        queue.send(List.of("again"));
        QueuedMessage first = receiveAtLeast(1, 10).get(0);

        queue.changeVisibility(List.of(first), Duration.ZERO);
        QueuedMessage second = receiveAtLeast(1, 10).get(0);

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.body()).isEqualTo("again");
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
        assertThat(second.sentAt()).isEqualTo(first.sentAt());

        queue.changeVisibility(List.of(second), Duration.ZERO);
        assertThat(receiveAtLeast(1, 10).get(0).receiveCount()).isEqualTo(3);
    }

    @Test
    void extendingTheVisibilityKeepsAMessageInFlight() {
        queue.send(List.of("long task"));
        List<QueuedMessage> got = receiveAtLeast(1, 10);

        queue.changeVisibility(got, Duration.ofMinutes(5));

        assertThat(queue.receive(10, NO_WAIT)).isEmpty();
        assertThat(admin.stats().inFlight()).isEqualTo(1);
    }

    @Test
    void aStaleReceiptHandleIsIgnoredAndTheCurrentOneStillWorks() {
        queue.send(List.of("a"));
        QueuedMessage first = receiveAtLeast(1, 10).get(0);
        queue.changeVisibility(List.of(first), Duration.ZERO);
        QueuedMessage second = receiveAtLeast(1, 10).get(0);

        queue.changeVisibility(List.of(first), Duration.ofMinutes(5));
        queue.delete(List.of(first));
        queue.delete(List.of(second));

        assertThat(admin.stats()).isEqualTo(new QueueStats(0, 0, 0, OptionalLong.of(0)));
    }

    @Test
    void batchedVisibilityChangesReleaseMoreThanTenMessages() {
        List<String> bodies = IntStream.range(0, 12).mapToObj(i -> "v" + i).toList();
        queue.send(bodies);
        List<QueuedMessage> all = receiveAtLeast(12, 30);

        queue.changeVisibility(all, Duration.ZERO);

        List<QueuedMessage> again = receiveAtLeast(12, 30);
        assertThat(again).extracting(QueuedMessage::receiveCount).containsOnly(2);
    }

    @Test
    void deadLetteringMovesTheBodyWithItsReasonAndRemovesTheOriginal() {
        queue.send(List.of("{\"job_id\":\"nope\"}", "keep"));
        List<QueuedMessage> got = receiveAtLeast(2, 10);
        QueuedMessage poison = got.stream().filter(m -> m.body().startsWith("{")).findFirst().orElseThrow();
        QueuedMessage keep = got.stream().filter(m -> m.body().equals("keep")).findFirst().orElseThrow();

        queue.deadLetter(poison, "job_id must be a UUID, was \"nope\"");

        assertThat(deadLettered()).containsExactly(
                new DeadLettered("{\"job_id\":\"nope\"}", "job_id must be a UUID, was \"nope\""));
        queue.changeVisibility(List.of(poison, keep), Duration.ZERO);
        assertThat(receiveAtLeast(1, 10)).extracting(QueuedMessage::body).containsExactly("keep");
    }

    @Test
    void emptyListsCostNothing() {
        queue.send(List.of());
        queue.delete(List.of());
        queue.changeVisibility(List.of(), Duration.ZERO);

        assertThat(admin.stats()).isEqualTo(new QueueStats(0, 0, 0, OptionalLong.of(0)));
    }

    @Test
    void argumentsOutsideSqsLimitsAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> queue.receive(0, NO_WAIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.receive(11, NO_WAIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.receive(1, Duration.ofSeconds(21))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.receive(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.changeVisibility(List.of(), Duration.ofHours(13)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.send(List.of("ok", ""))).isInstanceOf(IllegalArgumentException.class);

        assertThat(admin.stats().visible()).isZero();
    }

    @Test
    void anInterruptedReceiveReturnsPromptlyWithTheInterruptStatusSet() throws Exception {
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                queue.receive(1, Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                // Implementations may also report the interruption as an error; the status is what counts.
            }
            interrupted.complete(Thread.currentThread().isInterrupted());
        });
        receiver.start();

        assertThat(interrupted.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void interruptingAThreadBlockedInALongPollEndsItPromptly() throws Exception {
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            started.complete(null);
            try {
                queue.receive(1, Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                // Implementations may also report the interruption as an error; the status is what counts.
            }
            interrupted.complete(Thread.currentThread().isInterrupted());
        });
        receiver.start();
        started.get(10, TimeUnit.SECONDS);
        // the interrupt must reach a thread inside the long poll, not one that has yet to start it
        Awaiting.until(() -> insideReceive(receiver), inside -> inside, Duration.ofSeconds(10));

        receiver.interrupt();

        assertThat(interrupted.get(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Whether {@code t} is inside this queue's {@code receive} now (its stack holds that frame). */
    protected boolean insideReceive(Thread t) {
        String queueClass = queue.getClass().getName();
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(queueClass) && frame.getMethodName().equals("receive")) {
                return true;
            }
        }
        return false;
    }

    /** Receives until at least {@code n} distinct messages arrived (SQS may return fewer than asked). */
    protected List<QueuedMessage> receiveAtLeast(int n, int rounds) {
        List<QueuedMessage> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int round = 0; round < rounds && all.size() < n; round++) {
            for (QueuedMessage m : queue.receive(Math.min(10, Math.max(1, n - all.size())), SHORT_WAIT)) {
                if (ids.add(m.messageId())) {
                    all.add(m);
                }
            }
        }
        assertThat(all).as("messages received in %d rounds", rounds).hasSizeGreaterThanOrEqualTo(n);
        return all;
    }
}
