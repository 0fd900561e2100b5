package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.RecordedSql;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An enqueue that commits on this node wakes its idle worker at once: with a 10-minute poll, the task still runs
 * within seconds. A rolled-back enqueue leaves nothing to run.
 */
class WakeAtCommitTest {

    private final QueueHarness h = new QueueHarness();

    @BeforeEach
    void startAnIdleWorkerThatPollsEveryTenMinutes() {
        h.startWith(settings -> settings.with(WorkerSettings.POLL_INTERVAL, "10m").with(WorkerSettings.THREADS, "1"),
                new LedgerHandler(h));
        RecordedSql.clear();
        h.startWorker();
        // Its loop has looked for work once and found none: from here it waits for the poll, or for a wake-up.
        Await.until(Duration.ofSeconds(10), "the loop's first claim", () -> RecordedSql.statements().stream()
                .anyMatch(sql -> sql.endsWith("rows only for no key update skip locked")));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void aCommittedEnqueueRunsAtOnceThoughThePollIsTenMinutesAway() {
        h.tasks().enqueue(LedgerHandler.class, new Ref("woken"), h.options());

        Await.until(Duration.ofSeconds(10), "the task ran", () -> h.ledger().contains("woken"));
    }

    @Test
    void enqueuesInOneTransactionRunOnceItCommits() {
        h.tx.requiresNew(em -> {
            h.tasks().enqueue(LedgerHandler.class, new Ref("first"), h.options());
            h.tasks().enqueue(LedgerHandler.class, new Ref("second"), h.options());
            return null;
        });

        Await.until(Duration.ofSeconds(10), "both tasks ran", () -> h.ledger().equals(List.of("first", "second")));
    }

    @Test
    void aRolledBackEnqueueLeavesNothingToRun() {
        assertThrows(IllegalStateException.class, () -> h.tx.requiresNew(em -> {
            h.tasks().enqueue(LedgerHandler.class, new Ref("rolled-back"), h.options());
            throw new IllegalStateException("the caller's work failed");
        }));

        assertEquals(0, h.remaining());
        assertEquals(List.of(), h.ledger());
    }
}
