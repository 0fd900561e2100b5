package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Engine;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.RecordedSql;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's loops, under load and while stopping. */
class WorkerTest {

    private final QueueHarness h = new QueueHarness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** Writes its ledger entry after the test lets it go. */
    @TaskName("gated")
    static final class GatedHandler implements TaskHandler<Ref> {
        private final QueueHarness harness;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GatedHandler(QueueHarness harness) {
            this.harness = harness;
        }

        @Override
        public void handle(Ref args) throws InterruptedException {
            started.countDown();
            release.await();
            harness.writeLedger(args.ref());
        }
    }

    @Test
    void eightLoopsRunTenThousandTasksEachExactlyOnceAtomicallyWithItsLedgerRow() {
        h.startWith(settings -> settings.with(WorkerSettings.THREADS, "8").with(WorkerSettings.PREFETCH, "20"),
                new LedgerHandler(h));
        List<String> refs = IntStream.range(0, 10_000).mapToObj(i -> "task-" + i).toList();
        for (int from = 0; from < refs.size(); from += 1_000) {
            h.tasks().enqueueAll(LedgerHandler.class,
                    refs.subList(from, from + 1_000).stream().map(Ref::new).toList(), h.options());
        }

        h.startWorker();
        Await.until(Duration.ofMinutes(3), "the queue is empty", () -> h.remaining() == 0);

        List<String> ledger = h.ledger();
        assertEquals(10_000, ledger.size(), "one ledger row per task, none twice");
        assertEquals(new HashSet<>(refs), new HashSet<>(ledger));
    }

    @Test
    void aGracefulStopLetsTheRunningTaskFinishAndGivesBackTheUnstartedOnes() throws Exception {
        GatedHandler handler = new GatedHandler(h);
        h.startWith(settings -> settings.with(WorkerSettings.THREADS, "1").with(WorkerSettings.PREFETCH, "5")
                .with(WorkerSettings.SHUTDOWN_GRACE, "30s"), handler);
        List<Long> ids = h.tasks().enqueueAll(GatedHandler.class, List.of(new Ref("a"), new Ref("b"),
                new Ref("c")), h.options());
        Worker worker = h.startWorker();
        assertTrue(handler.started.await(30, TimeUnit.SECONDS));

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(worker::stop);
        Await.until(Duration.ofSeconds(10), "the worker is stopping", worker::isStopping);
        handler.release.countDown();

        assertTrue(stopped.get(30, TimeUnit.SECONDS), "stopped within the grace period");
        assertEquals(List.of("a"), h.ledger(), "the task in flight finished");
        List<Task> left = h.rows();
        assertEquals(ids.subList(1, 3), left.stream().map(Task::getId).toList());
        left.forEach(task -> {
            assertEquals(TaskState.PENDING, task.getState());
            assertEquals(0, task.getAttempt(), "an attempt that never started does not count");
        });
    }

    @Test
    void pastTheGracePeriodATaskIsInterruptedAndLeftForTheDirtyPolicy() throws Exception {
        GatedHandler handler = new GatedHandler(h);
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.THREADS, "1")
                .with(WorkerSettings.SHUTDOWN_GRACE, "200ms").with(WorkerSettings.DIRTY_POLICY, "requeue"), handler);
        long id = h.tasks().enqueue(GatedHandler.class, new Ref("slow"), h.options());
        Worker worker = h.startWorker();
        assertTrue(handler.started.await(30, TimeUnit.SECONDS));

        assertFalse(worker.stop(), "the task did not finish within the grace period");

        Task abandoned = h.row(id);
        assertEquals(TaskState.RUNNING, abandoned.getState(), "no failure was recorded for the interruption");
        assertEquals(1, abandoned.getAttempt());
        assertEquals(List.of(), h.ledger());

        h.clock.advance(Duration.ofSeconds(31));
        engine.rescuer().runOnce();
        assertEquals(TaskState.PENDING, h.row(id).getState(), "the dirty policy gives it back: nothing is lost");
    }

    @Test
    void aRunningWorkerIsHealthyAndAStoppedOneSaysWhyNot() {
        h.startWith(settings -> settings.with(WorkerSettings.THREADS, "3"), new LedgerHandler(h));
        Worker worker = h.startWorker();

        Await.until(Duration.ofSeconds(10), "all loops run and the heart beats", () -> worker.unhealthyReason() == null);
        worker.stop();

        assertEquals("the worker is stopping", worker.unhealthyReason());
    }

    @Test
    void aWorkerWhoseLoopsCannotAllRunOrWhoseHeartbeatStallsSaysSo() throws Exception {
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.THREADS, "2")
                .with(WorkerSettings.HEARTBEAT_INTERVAL, "100ms"), new LedgerHandler(h));
        ExecutorService oneThread = Executors.newFixedThreadPool(1); // room for one of the two loops
        ExecutorService twoThreads = Executors.newFixedThreadPool(2);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch stall = new CountDownLatch(1);
        Worker worker = engine.worker(oneThread, scheduler);
        try {
            worker.start();
            Await.until(Duration.ofSeconds(10), "one loop runs", () -> "1 of 2 loops are running".equals(
                    worker.unhealthyReason()));
            worker.stop();

            Worker beating = engine.worker(twoThreads, scheduler);
            beating.start();
            Await.until(Duration.ofSeconds(10), "healthy", () -> beating.unhealthyReason() == null);
            scheduler.execute(() -> awaitQuietly(stall)); // the heartbeat's only thread is stuck
            Await.until(Duration.ofSeconds(10), "the stalled heartbeat is noticed",
                    () -> "no heartbeat for more than 300 ms".equals(beating.unhealthyReason()));
            stall.countDown();
            Await.until(Duration.ofSeconds(10), "healthy again", () -> beating.unhealthyReason() == null);
            beating.stop();
        } finally {
            stall.countDown();
            oneThread.shutdownNow();
            twoThreads.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aWakeUpMakesAnIdleLoopLookAtOnce() {
        h.startWith(settings -> settings.with(WorkerSettings.THREADS, "1")
                .with(WorkerSettings.POLL_INTERVAL, "10m"), new LedgerHandler(h));
        RecordedSql.clear();
        Worker worker = h.startWorker();
        // The loop looks once, finds nothing and goes to sleep for ten minutes...
        Await.until(Duration.ofSeconds(10), "the loop looked for tasks", () -> RecordedSql.statements().stream()
                .anyMatch(sql -> sql.endsWith("skip locked")));
        h.tasks().enqueue(LedgerHandler.class, new Ref("now"), h.options());

        worker.wakeUp();

        Await.until(Duration.ofSeconds(30), "the task ran", () -> h.ledger().equals(List.of("now")));
    }
}
