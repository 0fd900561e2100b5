package dev.taskq.bench;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.RunListener;
import dev.taskq.internal.TaskRunner;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QuietLogs;
import dev.taskq.support.TestDatabase;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How TaskQ's claim holds up with size, measured against TaskQ's own figure at the small size in the same run, with
 * the atomic no-op handler on 4 loops and no vacuum while the queue runs (as on a server with autovacuum off):
 * {@code backlog-1m} (the first 20,000 tasks of a 1,000,000-task backlog against a 1,000-task one, consumed whole),
 * {@code burn-down-last-50k} (the last 50,000 of a 300,000-task burn-down against its first 50,000), and the heap
 * after the burn-down against the heap after its first 10,000 tasks.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@bench-scale} (about 10 minutes on 2 cores). It prints
 * {@code RESULT} lines as {@link Benchmark} does.
 */
public final class ScaleBenchmark {

    private static final int LOOPS = 4;
    private static final String QUEUE = "bench";

    private final TestDatabase database = TestDatabase.get();
    private final LocalTransactions transactions = new LocalTransactions(database.entityManagerFactory());

    public static void main(String[] args) throws Exception {
        QuietLogs.apply();
        new ScaleBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf("%nTaskQ scale benchmark: %s, %d cores, %d loops%n%n", database.url(),
                Runtime.getRuntime().availableProcessors(), LOOPS);
        Results results = new Results();
        double small = Rates.median(new double[] {backlog(1_000, 1_000), backlog(1_000, 1_000),
                backlog(1_000, 1_000)});
        results.add("backlog-1m", LOOPS, backlog(1_000_000, 20_000), "tasks/s", "backlog-1k", small);
        BurnDown burnDown = burnDown(300_000);
        results.add("burn-down-last-50k", LOOPS, burnDown.last, "tasks/s", "burn-down-first-50k", burnDown.first);
        results.add("heap-after-300k", LOOPS, burnDown.heapAtEnd / 1e6, "MB", "heap-after-10k",
                burnDown.heapAt10k / 1e6);
        results.printLines();
    }

    private record BurnDown(double first, double last, long heapAt10k, long heapAtEnd) {
    }

    /** @return tasks per second over the first {@code measured} tasks of a vacuumed backlog of {@code pending} */
    private double backlog(int pending, int measured) throws Exception {
        fill(pending);
        long[] at = new long[measured + 1];
        return consume(measured, done -> {
            if (done <= measured) {
                at[(int) done] = System.nanoTime();
            }
        }, () -> measured / ((at[measured] - at[0]) / 1e9), at);
    }

    private BurnDown burnDown(int tasks) throws Exception {
        fill(tasks);
        long[] at = new long[tasks + 1];
        long[] heap = new long[1];
        double first = consume(tasks, done -> {
            at[(int) done] = System.nanoTime();
            if (done == 10_000) {
                heap[0] = usedHeapAfterGc();
            }
        }, () -> 50_000 / ((at[50_000] - at[0]) / 1e9), at);
        double last = 50_000 / ((at[tasks] - at[tasks - 50_000]) / 1e9);
        return new BurnDown(first, last, heap[0], usedHeapAfterGc());
    }

    private interface Progress {
        void done(long count);
    }

    private interface Rate {
        double perSecond();
    }

    /**
     * Runs the worker until {@code tasks} succeeded, telling {@code progress} of each, and stops it (what is left stays
     * PENDING for the next fill to remove); {@code startSlot[0]} gets the start.
     */
    private double consume(int tasks, Progress progress, Rate rate, long[] startSlot) throws Exception {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, QUEUE)
                .with(WorkerSettings.THREADS, String.valueOf(LOOPS));
        Engine engine = Engine.create(transactions, settings, Clock.systemUTC(), new Benchmark.NoOp());
        AtomicLong done = new AtomicLong();
        Object finished = new Object();
        engine.runListeners().add(new RunListener() {
            @Override
            public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
            }

            @Override
            public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
                if (outcome == TaskRunner.Outcome.SUCCEEDED) {
                    synchronized (finished) {
                        progress.done(done.incrementAndGet());
                        finished.notifyAll();
                    }
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(LOOPS);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Worker worker = engine.worker(pool, scheduler);
        startSlot[0] = System.nanoTime();
        worker.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        synchronized (finished) {
            while (done.get() < tasks) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + done.get() + " of " + tasks + " tasks ran in 30 minutes");
                }
                TimeUnit.NANOSECONDS.timedWait(finished, left);
            }
        }
        worker.stop();
        pool.shutdownNow();
        scheduler.shutdownNow();
        return rate.perSecond();
    }

    /** Empties the table, then writes {@code tasks} due no-op tasks in one statement and vacuums. */
    private void fill(int tasks) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("truncate taskq_task");
            statement.execute("insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, "
                    + "max_attempts, created_at) select nextval('taskq_task_seq'), '" + QUEUE + "', 'noop', '1', "
                    + "'PENDING', 0, now(), 0, 3, now() from generate_series(1, " + tasks + ")");
            statement.execute("vacuum analyze taskq_task");
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
