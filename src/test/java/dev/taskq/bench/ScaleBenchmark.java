package dev.taskq.bench;

import dev.taskq.TaskHandler;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.TaskRunner;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.OnOutcome;
import dev.taskq.support.QuietLogs;
import dev.taskq.support.TestDatabase;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How TaskQ's claim holds up with size, measured against TaskQ's own figure at the small size in the same run, with
 * the atomic no-op handler on 4 loops and no vacuum while the queue runs (as on a server with autovacuum off):
 * {@code backlog-1m} (tasks 2,000 to 20,000 of a 1,000,000-task backlog, against the same tasks of a backlog kept
 * between 500 and 1,000 by topping it up, so that both leave the same dead rows behind),
 * {@code burn-down-last-50k} (the last 50,000 of a 300,000-task burn-down against its first 50,000), and the heap
 * after the burn-down against the heap after its first 10,000 tasks; and the heap after a 1,000,000-task burn-down of
 * handlers outside a transaction (batched completion, so that it takes minutes, not a quarter of an hour).
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
        double small = backlog(1_000, true);
        results.add("backlog-1m", LOOPS, backlog(1_000_000, false), "tasks/s", "backlog-1k", small);
        BurnDown burnDown = burnDown(300_000, new Benchmark.NoOp(), "noop");
        results.add("burn-down-last-50k", LOOPS, burnDown.last, "tasks/s", "burn-down-first-50k", burnDown.first);
        results.add("heap-after-300k", LOOPS, burnDown.heapAtEnd / 1e6, "MB", "heap-after-10k",
                burnDown.heapAt10k / 1e6);
        BurnDown million = burnDown(1_000_000, new Benchmark.OutsideNoOp(), "noop-outside");
        results.add("heap-after-1m-batched", LOOPS, million.heapAtEnd / 1e6, "MB", "heap-after-10k",
                million.heapAt10k / 1e6);
        results.printLines();
    }

    private record BurnDown(double first, double last, long heapAt10k, long heapAtEnd) {
    }

    /**
     * @param topUp whether to add 500 tasks whenever 500 are done, keeping the backlog near {@code pending}
     * @return tasks per second over tasks 2,000 to 20,000 of a vacuumed backlog of {@code pending} (the first 2,000
     *         warm the JVM and the line up)
     */
    private double backlog(int pending, boolean topUp) throws Exception {
        int from = 2_000;
        int to = 20_000;
        fill(pending);
        long[] at = new long[to + 1];
        ExecutorService feeder = Executors.newSingleThreadExecutor();
        try {
            return consume(to, new Benchmark.NoOp(), done -> {
                if (done > to) {
                    return; // the line's last tasks, run while the worker stops
                }
                at[(int) done] = System.nanoTime();
                if (topUp && done % 500 == 0) {
                    feeder.submit(() -> add(500));
                }
            }, () -> (to - from) / ((at[to] - at[from]) / 1e9), at);
        } finally {
            feeder.shutdownNow();
        }
    }

    /** Burns down {@code tasks} of {@code handler}, named {@code name}, measuring the first and last 50,000. */
    private BurnDown burnDown(int tasks, TaskHandler<Integer> handler, String name) throws Exception {
        fill(tasks, name);
        long[] at = new long[tasks + 1];
        long[] heap = new long[1];
        double first = consume(tasks, handler, done -> {
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
    private double consume(int tasks, TaskHandler<Integer> handler, Progress progress, Rate rate, long[] startSlot)
            throws Exception {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, QUEUE)
                .with(WorkerSettings.THREADS, String.valueOf(LOOPS));
        Engine engine = Engine.create(transactions, settings, Clock.systemUTC(), handler);
        AtomicLong done = new AtomicLong();
        Object finished = new Object();
        engine.runListeners().add((OnOutcome) (task, outcome) -> {
            if (outcome == TaskRunner.Outcome.SUCCEEDED) {
                synchronized (finished) {
                    progress.done(done.incrementAndGet());
                    finished.notifyAll();
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

    private void fill(int tasks) throws SQLException {
        fill(tasks, "noop");
    }

    /** Empties the table, then writes {@code tasks} due tasks of handler {@code name} in one statement and vacuums. */
    private void fill(int tasks, String name) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("truncate taskq_task");
        }
        add(tasks, name);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("vacuum analyze taskq_task");
        }
    }

    private Void add(int tasks) throws SQLException {
        return add(tasks, "noop");
    }

    /** Writes {@code tasks} due tasks of handler {@code name} in one statement. */
    private Void add(int tasks, String name) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, "
                    + "max_attempts, created_at) select nextval('taskq_task_seq'), '" + QUEUE + "', '" + name + "', '1', "
                    + "'PENDING', 0, now(), 0, 3, now() from generate_series(1, " + tasks + ")");
        }
        return null;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
