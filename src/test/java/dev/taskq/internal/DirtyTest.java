package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.Task;
import dev.taskq.TaskState;
import dev.taskq.TaskOptions;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.DirtyStore.DirtyOutcome;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats keep running tasks alive; tasks whose heartbeat stopped are dirty and the policy applies. */
class DirtyTest {

    private static final Duration THRESHOLD = Duration.ofSeconds(30);

    private final QueueHarness h = new QueueHarness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private Engine start(String policy) {
        return h.startWith(settings -> settings.with(WorkerSettings.DIRTY_POLICY, policy), new LedgerHandler(h));
    }

    private ClaimedTask enqueueAndClaim(Engine engine, TaskOptions options) {
        h.tasks().enqueue(LedgerHandler.class, new Ref("r"), options);
        return engine.claimer().runOnce().get(0);
    }

    @Test
    void theHeartbeatMovesAliveAtOfTheTasksThisNodeRuns() {
        Engine engine = start("keep");
        ClaimedTask task = enqueueAndClaim(engine, h.options());
        Instant claimedAt = h.clock.instant();

        h.clock.advance(Duration.ofSeconds(25));
        assertEquals(1, engine.heartbeat().runOnce());
        assertEquals(claimedAt.plusSeconds(25), h.row(task.id()).getAliveAt());

        h.clock.advance(Duration.ofSeconds(25)); // 50 s after the claim, 25 s after the last beat: not dirty
        assertEquals(new DirtyOutcome(0, 0), engine.rescuer().runOnce());
        assertEquals(TaskState.RUNNING, h.row(task.id()).getState());
    }

    /**
     * A heartbeat that waited for a locked row while holding the others deadlocked with batches of completions
     * (found by a 1,000,000-task run): it skips what another transaction holds, which is being completed.
     */
    @Test
    void theHeartbeatBeatsTheOtherTasksWithoutWaitingForOneThatIsLocked() throws Exception {
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.PREFETCH, "1"), new LedgerHandler(h));
        h.tasks().enqueueAll(LedgerHandler.class, List.of(new Ref("free"), new Ref("locked")), h.options());
        List<ClaimedTask> claimed = engine.claimer().runOnce();
        assertEquals(2, claimed.size());
        h.clock.advance(Duration.ofSeconds(5));
        try (java.sql.Connection holder = dev.taskq.support.TestDatabase.get().connect()) {
            holder.setAutoCommit(false);
            try (var lock = holder.prepareStatement("select id from taskq_task where id = ? for update")) {
                lock.setLong(1, claimed.get(1).id());
                lock.executeQuery().close();
            }
            int beaten = java.util.concurrent.CompletableFuture.supplyAsync(engine.heartbeat()::runOnce)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(1, beaten, "the free task is beaten at once");
            holder.rollback();
        }
        assertEquals(h.clock.instant(), h.row(claimed.get(0).id()).getAliveAt());
        assertEquals(1, engine.heartbeat().runOnce() - 1, "the lock gone, both are beaten again");
    }

    @Test
    void keepLeavesDirtyTasksRunningForAPerson() {
        Engine engine = start("keep");
        ClaimedTask task = enqueueAndClaim(engine, h.options());

        h.clock.advance(THRESHOLD.plusMillis(1));
        assertEquals(new DirtyOutcome(0, 0), engine.rescuer().runOnce());

        Task row = h.row(task.id());
        assertEquals(TaskState.RUNNING, row.getState());
        assertTrue(row.getAliveAt().isBefore(h.clock.instant().minus(THRESHOLD)), "it is dirty");
        assertEquals(List.of(), engine.claimer().runOnce(), "and nobody claims it again");
    }

    @Test
    void requeuePutsDirtyTasksBackCountingTheLostAttempt() {
        Engine engine = start("requeue");
        ClaimedTask task = enqueueAndClaim(engine, h.options());

        h.clock.advance(THRESHOLD);
        assertEquals(new DirtyOutcome(0, 0), engine.rescuer().runOnce(), "exactly at the threshold it is not dirty");
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(new DirtyOutcome(1, 0), engine.rescuer().runOnce());

        Task row = h.row(task.id());
        assertEquals(TaskState.PENDING, row.getState());
        assertEquals(1, row.getAttempt());
        assertEquals(h.clock.instant(), row.getEta());
        assertTrue(row.getLastError().startsWith("Dirty: the worker's heartbeat stopped"), row.getLastError());
        assertEquals(2, engine.claimer().runOnce().get(0).attempt());
    }

    @Test
    void requeueFailsADirtyTaskThatHasNoAttemptsLeft() {
        Engine engine = start("requeue");
        ClaimedTask task = enqueueAndClaim(engine, h.options().withMaxAttempts(1));

        h.clock.advance(THRESHOLD.plusSeconds(1));
        assertEquals(new DirtyOutcome(0, 1), engine.rescuer().runOnce());
        assertEquals(TaskState.FAILED, h.row(task.id()).getState());
    }

    @Test
    void severalNodesRescuingAtOnceRequeueEachDirtyTaskOnce() throws Exception {
        Engine engine = start("requeue");
        List<Long> ids = h.tasks().enqueueAll(LedgerHandler.class,
                java.util.stream.IntStream.range(0, 200).mapToObj(i -> new Ref("r" + i)).toList(),
                h.options().withMaxAttempts(5));
        while (engine.claimer().runOnce().size() > 0) {
            // claim them all, then let their heartbeats go stale
        }
        h.clock.advance(THRESHOLD.plusSeconds(1));

        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<DirtyOutcome>> rescues = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rescues.add(pool.submit(() -> engine.rescuer().runOnce()));
            }
            int requeued = 0;
            for (var rescue : rescues) {
                requeued += rescue.get(30, java.util.concurrent.TimeUnit.SECONDS).requeued();
            }
            assertEquals(ids.size(), requeued, "every dirty task was requeued by exactly one of the rescuers");
        } finally {
            pool.shutdownNow();
        }
        h.rows().forEach(row -> {
            assertEquals(TaskState.PENDING, row.getState());
            assertEquals(1, row.getAttempt(), "the lost attempt counts once");
        });
    }

    @Test
    void aStaleWorkerCanNeitherCompleteNorKeepAliveTheAttemptThatReplacedIt() {
        Engine engine = start("requeue");
        ClaimedTask stale = enqueueAndClaim(engine, h.options());

        // Its worker stalls past the threshold; the task is rescued and claimed again: attempt 2.
        h.clock.advance(THRESHOLD.plusSeconds(1));
        engine.rescuer().runOnce();
        ClaimedTask current = engine.claimer().runOnce().get(0);
        assertEquals(stale.id(), current.id());
        assertEquals(2, current.attempt());

        // The stale attempt's heartbeat matches no row: attempt 2's alive_at is left alone.
        Instant aliveOfCurrent = h.row(current.id()).getAliveAt();
        h.clock.advance(Duration.ofSeconds(1));
        int touched = h.tx.requiresNew(em -> new TaskStore()
                .touchRunning(em, Map.of(stale.id(), stale.attempt()), h.clock.instant())).size();
        assertEquals(0, touched);
        assertEquals(aliveOfCurrent, h.row(current.id()).getAliveAt());

        // The stale attempt resumes and finishes: its completion, and with it its ledger write, rolls back.
        assertEquals(Outcome.LOST, engine.runner().run(stale));
        assertEquals(TaskState.RUNNING, h.row(current.id()).getState());
        assertEquals(List.of(), h.ledger());

        // The current attempt completes normally: the handler's effect exists exactly once.
        assertEquals(Outcome.SUCCEEDED, engine.runner().run(current));
        assertEquals(List.of(), h.rows());
        assertEquals(List.of("r"), h.ledger());
    }
}
