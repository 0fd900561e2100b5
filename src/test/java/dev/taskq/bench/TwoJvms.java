package dev.taskq.bench;

import dev.taskq.TaskOptions;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.ChildWorker;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The coordination cost of a second node: the same ledger tasks (each writes a row in its own transaction) run by
 * one JVM with {@code 2n} loops, or by this JVM and a child JVM with {@code n} loops each, on one queue. Both JVMs
 * first run a warm-up batch together, so that neither runs cold code; the measured tasks then all fall due at one
 * instant, and the time runs from it until the last of them is done. Every round checks that each measured task's
 * ledger row was written exactly once.
 */
final class TwoJvms {

    private static final int WARM_UP = 40_000; // the child JVM runs cold code for its first ~20,000 tasks
    private static final int TASKS = 20_000;
    private static final int BATCH = 1_000;
    private static final Duration DUE_IN = Duration.ofSeconds(2);

    private final TestDatabase database;
    private final LocalTransactions transactions;

    TwoJvms(TestDatabase database, LocalTransactions transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    /** @return tasks per second with {@code loops} loops in this JVM alone */
    double oneJvm(int loops) throws Exception {
        return round(loops, 0);
    }

    /** @return tasks per second with {@code loopsEach} loops in this JVM and as many in a child JVM */
    double twoJvms(int loopsEach) throws Exception {
        return round(loopsEach, loopsEach);
    }

    private double round(int loopsHere, int loopsThere) throws Exception {
        String queue = "bench-nodes-" + System.nanoTime();
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, queue)
                .with(WorkerSettings.POLL_INTERVAL, "10ms").with(WorkerSettings.THREADS, String.valueOf(loopsHere))
                .with(WorkerSettings.NODE_ID, "here-" + queue);
        Engine engine = Engine.create(transactions, settings, Clock.systemUTC(),
                new ChildWorker.SlowLedger(transactions, queue, 0));
        ExecutorService pool = Executors.newFixedThreadPool(loopsHere);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Worker worker = engine.worker(pool, scheduler);
        Process child = null;
        try {
            worker.start();
            if (loopsThere > 0) {
                Path log = Files.createTempFile("taskq-bench-child", ".log");
                child = ChildWorker.start(database, queue, "there-" + queue, log,
                        List.of(String.valueOf(loopsThere), "0", "300"));
                awaitReady(log);
            }
            enqueue(engine, queue, "w", WARM_UP, TaskOptions.defaults().withQueue(queue));
            awaitEmpty(queue, Duration.ofMinutes(2));
            Instant due = Instant.now().plus(DUE_IN);
            enqueue(engine, queue, "m", TASKS, TaskOptions.defaults().withQueue(queue).withEta(due));
            awaitEmpty(queue, Duration.ofMinutes(2)); // each ledger row commits with its task's completion
            double seconds = Duration.between(due, Instant.now()).toNanos() / 1e9;
            checkExactlyOnce(queue);
            return TASKS / seconds;
        } finally {
            worker.stop();
            pool.shutdownNow();
            scheduler.shutdownNow();
            if (child != null) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void enqueue(Engine engine, String queue, String prefix, int tasks, TaskOptions options) {
        for (int first = 0; first < tasks; first += BATCH) {
            engine.queue().enqueueAll(ChildWorker.SlowLedger.class, IntStream.range(first, first + BATCH)
                    .mapToObj(i -> new Ref(prefix + i)).toList(), options);
        }
    }

    private static void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!Files.readString(log).contains("READY")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the child JVM did not start within a minute: " + log);
            }
            TimeUnit.MILLISECONDS.sleep(50); // a file to watch, not a result to wait for
        }
    }

    private void awaitEmpty(String queue, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (count("select count(*) from taskq_task where queue = '" + queue + "'") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the tasks of " + queue + " did not finish within " + within);
            }
            TimeUnit.MILLISECONDS.sleep(20); // polls the condition: at most 20 ms late over seconds of work
        }
    }

    private void checkExactlyOnce(String queue) throws Exception {
        String measured = "from test_ledger where queue = '" + queue + "' and ref like 'm%'";
        long rows = count("select count(*) " + measured);
        long distinct = count("select count(distinct ref) " + measured);
        if (rows != TASKS || distinct != TASKS) {
            throw new IllegalStateException("expected each of " + TASKS + " tasks' ledger rows once, but found "
                    + rows + " rows for " + distinct + " tasks");
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
