package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The byte budget itself: what fits, who waits, and what a result larger than the whole budget takes. */
class ResultBytesTest {

    @Test
    void tryReserveTakesWhatFitsAndRefusesTheRestWithoutWaiting() {
        ResultBytes bytes = new ResultBytes(100);

        assertThat(bytes.tryReserve(60)).isEqualTo(60);
        assertThat(bytes.tryReserve(50)).isEqualTo(-1);
        assertThat(bytes.tryReserve(40)).isEqualTo(40);
        assertThat(bytes.held()).isEqualTo(100);
        bytes.release(100);
        assertThat(bytes.held()).isZero();
        assertThat(bytes.peak()).isEqualTo(100);
    }

    @Test
    void aReservationLargerThanTheBudgetTakesTheWholeBudget() throws InterruptedException {
        ResultBytes bytes = new ResultBytes(100);

        assertThat(bytes.reserve(1_000_000)).isEqualTo(100);
        assertThat(bytes.tryReserve(1)).isEqualTo(-1);
    }

    @Test
    void aWaiterGetsItsBytesOnceTheHolderReleasesAndGoesBeforeLaterTries() throws Exception {
        ResultBytes bytes = new ResultBytes(100);
        bytes.tryReserve(80);
        CompletableFuture<Long> waiter = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                waiter.complete(bytes.reserve(50));
            } catch (InterruptedException e) {
                waiter.completeExceptionally(e);
            }
        });
        while (thread.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }

        assertThat(waiter).isNotDone();
        assertThat(bytes.tryReserve(10)).as("a waiter goes first").isEqualTo(-1);
        bytes.release(80);

        assertThat(waiter.get(1, TimeUnit.MINUTES)).isEqualTo(50);
        assertThat(bytes.held()).isEqualTo(50);
    }

    @Test
    void aBudgetBelowOneByteIsRefused() {
        assertThatThrownBy(() -> new ResultBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the result byte budget must be >= 1, was 0");
    }

    @Test
    void theDefaultIsAQuarterOfTheHeapAndAtLeastTheMinimum() {
        assertThat(ResultBytes.defaultFor(4L << 30)).isEqualTo(1L << 30);
        assertThat(ResultBytes.defaultFor(1L << 20)).isEqualTo(ResultBytes.MIN_DEFAULT);
    }
}
