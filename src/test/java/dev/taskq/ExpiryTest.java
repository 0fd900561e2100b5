package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A task's deadline: no attempt starts after it; the task is cancelled as expired instead, its handler not run. */
class ExpiryTest {

    /** Writes its ledger row; fails while its ref starts with "fail". */
    @TaskName("expiring")
    @Retry(maxAttempts = 3, backoff = 60)
    static final class Expiring implements TaskHandler<Ref> {
        private final QueueHarness harness;

        Expiring(QueueHarness harness) {
            this.harness = harness;
        }

        @Override
        public void handle(Ref args) {
            harness.writeLedger(args.ref());
            if (args.ref().startsWith("fail")) {
                throw new IllegalStateException("partner down");
            }
        }
    }

    private final QueueHarness h = new QueueHarness();

    @BeforeEach
    void start() {
        h.start(new Expiring(h));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void aTaskTakenAfterItsDeadlineIsCancelledAsExpiredAndNeverRuns() {
        long id = h.tasks().enqueue(Expiring.class, new Ref("late"), h.options().withExpiry(Duration.ofMinutes(10)));
        h.clock.advance(Duration.ofMinutes(10).plusMillis(1));

        assertEquals(Outcome.EXPIRED, h.runOne());

        Task row = h.row(id);
        assertEquals(TaskState.CANCELLED, row.getState());
        assertEquals(TaskOptions.EXPIRED_BY, row.getCancelledBy());
        assertEquals(0, row.getAttempt(), "the attempt that did not run is not counted");
        assertTrue(row.getLastError().startsWith("Expired: no attempt may start after its deadline, "
                + row.getExpiresAt()), row.getLastError());
        assertEquals(List.of(), h.ledger(), "its handler never ran");
    }

    @Test
    void aTaskTakenInTimeRuns() {
        h.tasks().enqueue(Expiring.class, new Ref("on time"), h.options().withExpiry(Duration.ofMinutes(10)));
        h.clock.advance(Duration.ofMinutes(10));

        assertEquals(Outcome.SUCCEEDED, h.runOne());
        assertEquals(List.of("on time"), h.ledger());
    }

    @Test
    void aRetryDueAfterTheDeadlineDoesNotRunEither() {
        long id = h.tasks().enqueue(Expiring.class, new Ref("fail once"), h.options().withExpiry(Duration.ofSeconds(30)));
        assertEquals(Outcome.RETRYING, h.runOne());
        h.clock.advance(Duration.ofMinutes(2)); // past the back-off, and past the deadline

        assertEquals(Outcome.EXPIRED, h.runOne());
        assertEquals(1, h.row(id).getAttempt(), "the attempt that ran counts, the expired one does not");
        assertEquals(TaskState.CANCELLED, h.row(id).getState());
    }

    @Test
    void aDeadlineBeforeTheTaskIsDueIsRefusedAndTheCallersTransactionGoesOn() {
        String message = h.tx.required(em -> {
            TaskQueueException refused = assertThrows(TaskQueueException.class, () -> h.tasks().enqueue(
                    Expiring.class, new Ref("never"), h.options().withDelay(Duration.ofHours(1))
                            .withExpiry(Duration.ofMinutes(30))));
            h.writeLedger("the caller's own write");
            return refused.getMessage();
        });

        assertTrue(message.startsWith("TaskOptions.withExpiry(PT30M) ends at "), message);
        assertTrue(message.endsWith("so it could never run: give it an expiry longer than its delay."), message);
        assertEquals(List.of(), h.rows());
        assertEquals(List.of("the caller's own write"), h.ledger());
        assertThrows(TaskQueueException.class, () -> h.options().withExpiry(Duration.ofSeconds(-1)));
    }
}
