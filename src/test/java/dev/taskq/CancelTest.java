package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a running task: its handler is interrupted and can poll {@link TaskContext#cancelRequested()}; the
 * task ends CANCELLED when the handler stops, its work rolled back, or SUCCEEDED if the handler finishes anyway; a
 * handler that ignores the cancellation past the grace is left to the dirty policy, which does not run it again.
 */
class CancelTest {

    /** How the handler meets a cancellation. */
    enum Manner {
        /** Blocks in an interruptible wait, and lets the interrupt end it. */
        BLOCKS,
        /** Works in steps that no interrupt reaches, polling the flag between them, then throws. */
        POLLS,
        /** Waits for the test's release, whatever interrupts it, then returns normally. */
        IGNORES
    }

    /** Writes its ledger row in its transaction, then meets the cancellation in its {@link Manner}. */
    @TaskName("cancellable")
    static final class Cancellable implements TaskHandler<Ref> {
        private final QueueHarness harness;
        private final TaskContext context;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Manner manner = Manner.BLOCKS;
        volatile boolean sawCancellation;

        Cancellable(QueueHarness harness, TaskContext context) {
            this.harness = harness;
            this.context = context;
        }

        @Override
        public void handle(Ref args) throws Exception {
            harness.writeLedger(args.ref());
            entered.countDown();
            switch (manner) {
                case BLOCKS -> {
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } finally {
                        sawCancellation = context.cancelRequested();
                    }
                }
                case POLLS -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!context.cancelRequested() && System.nanoTime() < deadline) {
                        Thread.onSpinWait(); // a step of work
                    }
                    sawCancellation = context.cancelRequested();
                    throw new CancellationException("stopped between two steps");
                }
                case IGNORES -> {
                    while (!awaitUninterrupted(release)) {
                        sawCancellation = true;
                    }
                }
            }
        }

        private static boolean awaitUninterrupted(CountDownLatch latch) {
            try {
                return latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    private final QueueHarness h = new QueueHarness();
    private Cancellable handler;
    private ScheduledExecutorService otherNodesScheduler;

    @AfterEach
    void close() throws Exception {
        if (handler != null) {
            handler.release.countDown();
        }
        if (otherNodesScheduler != null) {
            otherNodesScheduler.shutdownNow();
        }
        h.close();
    }

    private Engine start(Manner manner, String... settings) {
        handler = new Cancellable(h, Engine.taskContext());
        handler.manner = manner;
        h.startWith(adjusted -> {
            for (int i = 0; i < settings.length; i += 2) {
                adjusted = adjusted.with(settings[i], settings[i + 1]);
            }
            return adjusted;
        }, handler);
        return h.engine();
    }

    /** Claims the task and runs it on a thread of its own, once its handler has begun. */
    private CompletableFuture<Outcome> runningInTheBackground(long id) throws InterruptedException {
        List<ClaimedTask> claimed = h.engine().claimer().runOnce();
        assertEquals(List.of(id), claimed.stream().map(ClaimedTask::id).toList());
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> {
            Outcome ended = h.engine().runner().run(claimed.get(0));
            assertFalse(Thread.currentThread().isInterrupted(), "the cancellation's interrupt ends with the handler");
            return ended;
        });
        assertTrue(handler.entered.await(30, TimeUnit.SECONDS), "the handler began");
        return outcome;
    }

    @Test
    void anInterruptedHandlerEndsItsTaskCancelledAndItsWorkRollsBack() throws Exception {
        Engine engine = start(Manner.BLOCKS);
        long id = h.tasks().enqueue(Cancellable.class, new Ref("blocked"), h.options());
        CompletableFuture<Outcome> outcome = runningInTheBackground(id);

        assertTrue(engine.admin().cancel(id, "ops@example.com"));

        assertEquals(Outcome.CANCELLED, outcome.get(30, TimeUnit.SECONDS));
        assertTrue(handler.sawCancellation, "the flag was set when the interrupt came");
        Task row = h.row(id);
        assertEquals(TaskState.CANCELLED, row.getState());
        assertEquals("ops@example.com", row.getCancelledBy());
        assertEquals(h.clock.instant(), row.getFinishedAt());
        assertTrue(row.getLastError().startsWith("Cancelled: java.lang.InterruptedException"), row.getLastError());
        assertEquals(List.of(), h.ledger(), "the handler's write rolled back");
        assertEquals(1, engine.admin().count(TaskGroup.CANCELLED, TaskFilter.all().withQueue(h.queue)));
    }

    /** A cancellation made on another node reaches this one with its next heartbeat. */
    @Test
    void aHandlerThatPollsHearsACancellationFromAnotherNodeAtTheNextHeartbeat() throws Exception {
        Engine engine = start(Manner.POLLS);
        long id = h.tasks().enqueue(Cancellable.class, new Ref("polling"), h.options());
        CompletableFuture<Outcome> outcome = runningInTheBackground(id);

        assertTrue(otherNode().admin().cancel(id, "other-node-admin"));
        assertFalse(outcome.isDone(), "this node has not heard of it yet");
        assertEquals(1, engine.heartbeat().runOnce());

        assertEquals(Outcome.CANCELLED, outcome.get(30, TimeUnit.SECONDS));
        assertTrue(handler.sawCancellation);
        Task row = h.row(id);
        assertEquals(TaskState.CANCELLED, row.getState());
        assertTrue(row.getLastError().contains("stopped between two steps"), row.getLastError());
    }

    /** With a heartbeat of a minute, only the other node's notification can bring the cancellation in time. */
    @Test
    void aRunningWorkerHearsAnotherNodesCancellationAtOnce() {
        start(Manner.BLOCKS, WorkerSettings.DIRTY_THRESHOLD, "3m", WorkerSettings.HEARTBEAT_INTERVAL, "1m");
        Worker worker = h.startWorker();
        Await.until(Duration.ofSeconds(10), "the worker listens", worker::isListening);
        long id = h.tasks().enqueue(Cancellable.class, new Ref("notified"), h.options());
        Await.until(Duration.ofSeconds(10), "the handler began", () -> handler.entered.getCount() == 0);

        Engine other = otherNode();
        otherNodesScheduler = Executors.newSingleThreadScheduledExecutor();
        other.useScheduler(otherNodesScheduler); // it tells the other nodes from here
        assertTrue(other.admin().cancel(id, "other-node-admin"));

        Await.until(Duration.ofSeconds(10), "the task ended cancelled",
                () -> h.row(id).getState() == TaskState.CANCELLED);
        assertEquals(List.of(), h.ledger());
    }

    @Test
    void aHandlerThatFinishesAnywaySucceedsWithItsWork() throws Exception {
        Engine engine = start(Manner.IGNORES);
        long id = h.tasks().enqueue(Cancellable.class, new Ref("finished anyway"), h.options());
        CompletableFuture<Outcome> outcome = runningInTheBackground(id);

        assertTrue(engine.admin().cancel(id, "ops"));
        Await.until(Duration.ofSeconds(10), "the handler felt the interrupt", () -> handler.sawCancellation);
        handler.release.countDown();

        assertEquals(Outcome.SUCCEEDED, outcome.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("finished anyway"), h.ledger(), "its work committed with its success");
    }

    @Test
    void aHandlerThatIgnoresTheCancellationPastTheGraceIsLeftToTheDirtyPolicyWhichCancelsIt() throws Exception {
        Engine engine = start(Manner.IGNORES, WorkerSettings.CANCEL_GRACE, "5s",
                WorkerSettings.DIRTY_POLICY, "requeue");
        long id = h.tasks().enqueue(Cancellable.class, new Ref("stubborn"), h.options());
        CompletableFuture<Outcome> outcome = runningInTheBackground(id);
        assertTrue(engine.admin().cancel(id, "ops"));

        h.clock.advance(Duration.ofSeconds(5));
        assertEquals(1, engine.heartbeat().runOnce(), "within its grace it is kept alive");
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(0, engine.heartbeat().runOnce(), "past its grace its heartbeat stops");
        h.clock.advance(Duration.ofSeconds(30));
        assertTrue(engine.rescuer().runOnce().failed() >= 1, "ended for good"); // other tests' tasks may be dirty too
        assertEquals(TaskState.CANCELLED, h.row(id).getState(), "requeue does not run a cancelled task again");

        handler.release.countDown();
        assertEquals(Outcome.LOST, outcome.get(30, TimeUnit.SECONDS), "the late finish changes nothing");
        assertEquals(List.of(), h.ledger());
        assertEquals(TaskState.CANCELLED, h.row(id).getState());
    }

    @Test
    void aTaskCancelledAfterItsClaimButBeforeItsHandlerStartsNeverRuns() {
        Engine engine = start(Manner.BLOCKS);
        long id = h.tasks().enqueue(Cancellable.class, new Ref("claimed only"), h.options());
        ClaimedTask claimed = engine.claimer().runOnce().get(0);

        assertTrue(engine.admin().cancel(id, "ops"));

        assertEquals(Outcome.CANCELLED, engine.runner().run(claimed));
        assertEquals(1, handler.entered.getCount(), "its handler never began");
        assertEquals(TaskState.CANCELLED, h.row(id).getState());
    }

    /** Another node of the cluster, on the same database: an engine with an admin and no worker. */
    private Engine otherNode() {
        return Engine.create(h.tx, WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.NODE_ID, "other-" + h.queue), h.clock);
    }
}
