package dev.taskq.bench;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskOptions;
import dev.taskq.internal.Engine;
import dev.taskq.internal.Transactions;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pickup on an idle queue with the default settings: tasks enqueued one at a time on the worker's own node, each
 * while the loops wait for work, and the time until each handler starts.
 */
final class PickupBenchmark {

    private static final String QUEUE = "bench-pickup";

    /** Says how long after its enqueue began it started; its argument is that moment's {@code nanoTime}. */
    @TaskName("pickup")
    public static final class Pickup implements TaskHandler<Long> {
        static final BlockingQueue<Long> DELAYS = new LinkedBlockingQueue<>();

        @Override
        public void handle(Long enqueueBegan) {
            DELAYS.add(System.nanoTime() - enqueueBegan);
        }
    }

    /**
     * Milliseconds to each handler's start, from its enqueue's commit as the caller sees it (the enqueue call's
     * return) and from the call itself (its transaction's begin, flush and commit included). A handler can start
     * before the enqueuing thread is back from its commit: that pickup counts as 0 from the commit.
     */
    record Pickups(double[] fromCommit, double[] fromCall) {
    }

    private final TestDatabase database;
    private final Transactions transactions;

    PickupBenchmark(TestDatabase database, Transactions transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    /** @return the pickups of {@code samples} tasks */
    Pickups measure(int samples) throws Exception {
        WorkerSettings defaults = WorkerSettings.defaults().with(WorkerSettings.QUEUES, QUEUE);
        Engine engine = Engine.create(transactions, defaults, Clock.systemUTC(), new Pickup());
        ExecutorService pool = Executors.newFixedThreadPool(defaults.threads());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Worker worker = engine.worker(pool, scheduler);
        worker.start();
        TaskOptions pickup = TaskOptions.defaults().withQueue(QUEUE);
        // Each enqueue at a random moment 50-150 ms after the previous task completed, when the loops wait for work,
        // so that enqueues fall anywhere in the poll interval.
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        Pickups pickups = new Pickups(new double[samples], new double[samples]);
        try {
            for (int i = 0; i < samples; i++) {
                long enqueueNanos = pacer.schedule(() -> {
                    long began = System.nanoTime();
                    engine.queue().enqueue(Pickup.class, began, pickup); // commits
                    return System.nanoTime() - began;
                }, 50 + ThreadLocalRandom.current().nextInt(100), TimeUnit.MILLISECONDS).get();
                Long delay = Pickup.DELAYS.poll(1, TimeUnit.MINUTES);
                if (delay == null) {
                    throw new IllegalStateException("pickup " + i + " did not start within a minute");
                }
                pickups.fromCall()[i] = delay / 1e6;
                pickups.fromCommit()[i] = Math.max(0, delay - enqueueNanos) / 1e6;
                awaitIdle();
            }
        } finally {
            worker.stop();
            pool.shutdownNow();
            scheduler.shutdownNow();
            pacer.shutdownNow();
        }
        return pickups;
    }

    /**
     * Waits until the queue's task has completed, so that the next enqueue meets loops that wait for work, not one
     * that is about to claim again after its task.
     */
    private void awaitIdle() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            while (true) {
                try (var rows = statement.executeQuery(
                        "select count(*) from taskq_task where queue = '" + QUEUE + "'")) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pickup task did not complete within 30 s");
                }
                Thread.onSpinWait();
            }
        }
    }
}
