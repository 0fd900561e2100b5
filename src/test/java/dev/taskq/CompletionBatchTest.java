package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.OnOutcome;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Successes of handlers that run outside a transaction are recorded in batches: the task stays RUNNING (and kept
 * alive) until its batch is written, the listeners hear the outcome only then, and a row another attempt took over
 * meanwhile is left alone.
 */
class CompletionBatchTest {

    private final QueueHarness h = new QueueHarness();
    private final List<Outcome> finished = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @TaskName("batched")
    @Transactional(TxType.NOT_SUPPORTED)
    final class Outside implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            runs.computeIfAbsent(args.ref(), ref -> new AtomicInteger()).incrementAndGet();
        }
    }

    private void start(UnaryOperator<WorkerSettings> adjust) {
        h.startWith(adjust, new Outside());
        h.engine().runListeners().add((OnOutcome) (task, outcome) -> finished.add(outcome));
    }

    private List<ClaimedTask> enqueueAndClaim(int count) {
        h.tasks().enqueueAll(Outside.class, IntStream.range(0, count).mapToObj(i -> new Ref("r" + i)).toList(),
                h.options());
        List<ClaimedTask> claimed = h.engine().claimer().runOnce();
        assertEquals(count, claimed.size(), "all due tasks claimed");
        return claimed;
    }

    @Test
    void aSuccessStaysRunningAndAliveUntilItsBatchIsRecorded() {
        start(UnaryOperator.identity());
        ClaimedTask task = enqueueAndClaim(1).get(0);

        assertEquals(Outcome.COMPLETING, h.engine().runner().run(task));
        assertEquals(TaskState.RUNNING, h.row(task.id()).getState(), "recorded only with its batch");
        assertEquals(Set.of(task.id()), h.engine().running().snapshot().keySet(), "the heartbeat keeps it alive");
        assertEquals(List.of(), finished, "listeners hear the outcome once it is recorded");

        h.engine().runner().flushCompletions();
        assertEquals(List.of(), h.rows(), "deleted on success, as by default");
        assertEquals(List.of(Outcome.SUCCEEDED), finished);
        assertEquals(Map.of(), h.engine().running().snapshot());
    }

    @Test
    void theSuccessThatFillsTheBatchRecordsItAtOnce() {
        start(s -> s.with(WorkerSettings.COMPLETION_BATCH_SIZE, "3"));
        List<ClaimedTask> tasks = enqueueAndClaim(3);

        assertEquals(Outcome.COMPLETING, h.engine().runner().run(tasks.get(0)));
        assertEquals(Outcome.COMPLETING, h.engine().runner().run(tasks.get(1)));
        assertEquals(3, h.count(TaskState.RUNNING), "two successes wait for the batch to fill, one task is unstarted");
        assertEquals(List.of(), finished);
        assertEquals(Outcome.COMPLETING, h.engine().runner().run(tasks.get(2)));

        assertEquals(List.of(), h.rows(), "the third success filled the batch: all three recorded, no flush needed");
        assertEquals(List.of(Outcome.SUCCEEDED, Outcome.SUCCEEDED, Outcome.SUCCEEDED), finished);
    }

    /**
     * Another transaction holds the second row of a full batch and then asks for the first, which the batch holds:
     * PostgreSQL breaks the deadlock by rolling the batch back, and the batch is sent again, not left to the
     * dirty policy.
     */
    @Test
    void aBatchThatPostgresqlRollsBackToBreakADeadlockIsSentAgain() throws Exception {
        start(s -> s.with(WorkerSettings.COMPLETION_BATCH_SIZE, "2"));
        List<ClaimedTask> tasks = enqueueAndClaim(2);
        long first = Math.min(tasks.get(0).id(), tasks.get(1).id());
        long second = Math.max(tasks.get(0).id(), tasks.get(1).id());
        assertEquals(Outcome.COMPLETING, h.engine().runner().run(tasks.get(0)));
        try (Connection other = TestDatabase.get().connect()) {
            other.setAutoCommit(false);
            try (Statement statement = other.createStatement()) {
                statement.execute("set deadlock_timeout = '1min'"); // so that PostgreSQL picks the batch to roll back
                statement.executeQuery("select id from taskq_task where id = " + second + " for update").close();
            }
            CompletableFuture<Outcome> filling = CompletableFuture.supplyAsync(
                    () -> h.engine().runner().run(tasks.get(1))); // fills the batch: locks the first, waits for the second
            Await.until(Duration.ofSeconds(30), "the batch waits for the second row", () -> waitingForALock() > 0);
            try (Statement statement = other.createStatement()) {
                statement.executeQuery("select id from taskq_task where id = " + first + " for update").close();
            }
            other.rollback();
            assertEquals(Outcome.COMPLETING, filling.get(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), h.rows(), "both recorded on the second try");
        assertEquals(List.of(Outcome.SUCCEEDED, Outcome.SUCCEEDED), finished);
    }

    private long waitingForALock() {
        return h.tx.requiresNew(em -> ((Number) em.createNativeQuery("select count(*) from pg_stat_activity "
                + "where wait_event_type = 'Lock' and query like '%with owned as%'").getSingleResult()).longValue());
    }

    @Test
    void keptSucceededTasksAreMarkedSucceededWithTheirFinishTime() {
        start(s -> s.with(WorkerSettings.SUCCEEDED_RETENTION, "1h"));
        ClaimedTask task = enqueueAndClaim(1).get(0);

        h.engine().runner().run(task);
        h.engine().runner().flushCompletions();

        Task row = h.row(task.id());
        assertEquals(TaskState.SUCCEEDED, row.getState());
        assertEquals(h.clock.instant(), row.getFinishedAt());
    }

    @Test
    void aBatchedSuccessWhoseRowAnotherAttemptTookOverIsDiscarded() {
        start(UnaryOperator.identity());
        List<ClaimedTask> tasks = enqueueAndClaim(2);
        h.engine().runner().run(tasks.get(0));
        h.engine().runner().run(tasks.get(1));
        // What the dirty policy and another node's claim leave: the same row, RUNNING in a newer attempt.
        h.tx.requiresNew(em -> em.createNativeQuery("update taskq_task set attempt = attempt + 1 where id = :id")
                .setParameter("id", tasks.get(1).id()).executeUpdate());

        h.engine().runner().flushCompletions();

        assertEquals(List.of(Outcome.SUCCEEDED, Outcome.LOST), finished);
        Task taken = h.row(tasks.get(1).id());
        assertNotNull(taken, "the newer attempt's row is untouched");
        assertEquals(TaskState.RUNNING, taken.getState());
        assertEquals(tasks.get(1).attempt() + 1, taken.getAttempt());
    }

    @Test
    void aBatchSizeOfOneRecordsEachSuccessOnItsOwn() {
        start(s -> s.with(WorkerSettings.COMPLETION_BATCH_SIZE, "1"));
        ClaimedTask task = enqueueAndClaim(1).get(0);

        assertEquals(Outcome.SUCCEEDED, h.engine().runner().run(task));
        assertEquals(List.of(), h.rows());
    }

    @Test
    void aWorkerRecordsEveryBatchTheLastPartialOneWithinItsWindow() {
        start(s -> s.with(WorkerSettings.COMPLETION_BATCH_SIZE, "64"));
        h.tasks().enqueueAll(Outside.class, IntStream.range(0, 1_000).mapToObj(i -> new Ref("r" + i)).toList(),
                h.options());
        h.startWorker();

        Await.until(Duration.ofSeconds(60), "every success recorded", () -> h.remaining() == 0);
        assertEquals(1_000, runs.size());
        assertEquals(Set.of(1), Set.copyOf(runs.values().stream().map(AtomicInteger::get).toList()), "each ran once");
        Await.until(Duration.ofSeconds(10), "listeners heard every outcome", () -> finished.size() == 1_000);
        assertEquals(Set.of(Outcome.SUCCEEDED), Set.copyOf(finished));
    }

    @Test
    void aStoppingWorkerRecordsTheSuccessesThatWait() {
        start(s -> s.with(WorkerSettings.COMPLETION_BATCH_WINDOW, "1s"));
        enqueueAndClaim(10).forEach(task -> h.engine().runner().run(task));
        assertEquals(10, h.count(TaskState.RUNNING), "all ten wait in the batch");

        h.startWorker().stop();

        assertEquals(List.of(), h.rows(), "the stop recorded the batch before it returned");
        assertEquals(10, finished.size());
    }
}
