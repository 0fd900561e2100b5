package dev.taskq.bench;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.TaskRunner;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.OnOutcome;
import dev.taskq.support.QuietLogs;
import dev.taskq.support.TestDatabase;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * TaskQ's engine in Java SE against the test PostgreSQL, beside the bare-SQL references of {@link References}
 * measured in the same run on the same table. Every throughput is the median of {@value #ROUNDS} rounds, each from
 * a freshly vacuumed table; pickup is measured on an idle queue with the default settings.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@bench}. Besides the table it prints one {@code RESULT} line per
 * pair of measure and reference (see {@link Results}).
 */
public final class Benchmark {

    private static final int ROUNDS = 3;
    private static final int SINGLE_ENQUEUES = 2_000;
    private static final int BATCH = 1_000;
    private static final int BATCHES = 20;
    private static final int TASKS = 5_000;
    private static final int PICKUPS = 200;
    private static final int[] LOOPS = {1, 2, 4, 8};
    private static final String QUEUE = "bench";
    private static final String PICKUP_QUEUE = "bench-pickup";
    private static final java.nio.file.Path CHART = java.nio.file.Path.of("target", "benchmark.png");

    /** Does nothing, in the worker's transaction: the benchmark measures the queue, not the work. */
    @TaskName("noop")
    public static final class NoOp implements TaskHandler<Integer> {
        @Override
        public void handle(Integer args) {
        }
    }

    /** Does nothing, outside a transaction: its successes are recorded in batches. */
    @TaskName("noop-outside")
    @Transactional(TxType.NOT_SUPPORTED)
    public static final class OutsideNoOp implements TaskHandler<Integer> {
        @Override
        public void handle(Integer args) {
        }
    }

    /** Says how long after its enqueue committed it started; its argument is the commit's {@code nanoTime}. */
    @TaskName("pickup")
    public static final class Pickup implements TaskHandler<Long> {
        static final BlockingQueue<Long> DELAYS = new LinkedBlockingQueue<>();

        @Override
        public void handle(Long committedAt) {
            DELAYS.add(System.nanoTime() - committedAt);
        }
    }

    private final TestDatabase database = TestDatabase.get();
    private final References references = new References(database);
    private final DbSchedulerPeer dbSchedulerPeer = new DbSchedulerPeer(database);
    /** As the README recommends: the driver turns Hibernate's insert batches into multi-row inserts. */
    private final jakarta.persistence.EntityManagerFactory factory = database.entityManagerFactoryAt(
            database.urlWith("reWriteBatchedInserts=true"), java.util.Map.of());
    private final LocalTransactions transactions = new LocalTransactions(factory);
    private final WorkerSettings settings = WorkerSettings.defaults()
            .with(WorkerSettings.QUEUES, QUEUE)
            .with(WorkerSettings.POLL_INTERVAL, "10ms");
    private final TaskQueue tasks = Engine.create(transactions, settings, Clock.systemUTC(), new NoOp(),
            new OutsideNoOp()).queue();
    private final TaskOptions options = TaskOptions.defaults().withQueue(QUEUE);
    private final Statistics statistics = factory.unwrap(SessionFactory.class).getStatistics();
    /** The last {@link #runTasks} round's SQL statements and transactions per task, all of the engine's work in. */
    private double[] lastCost = new double[2];

    public static void main(String[] args) throws Exception {
        QuietLogs.apply();
        new Benchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf("%nTaskQ benchmark: %s, %d cores, median of %d rounds%n%n", database.url(),
                Runtime.getRuntime().availableProcessors(), ROUNDS);
        warmUp();
        Results results = new Results();
        results.add("enqueue-1", 1, median(this::enqueueOneByOne), "tasks/s", "ref-insert-1",
                median(() -> references.insertOneByOne(SINGLE_ENQUEUES)));
        results.add("enqueue-all-1000", 1, median(this::enqueueBatches), "tasks/s", "ref-insert-1000-values",
                median(() -> references.insertMultiRow(BATCHES, BATCH)));
        Chart chart = new Chart(LOOPS);
        for (int index = 0; index < LOOPS.length; index++) {
            int loops = LOOPS[index];
            double atomic = median(() -> runTasks(loops, NoOp.class));
            double[] atomicCost = lastCost.clone();
            double batched = median(() -> runTasks(loops, OutsideNoOp.class));
            double[] batchedCost = lastCost.clone();
            double claim1 = median(() -> reference(loops, 1, false));
            double claim10 = median(() -> reference(loops, 10, false));
            double claim100 = median(() -> reference(loops, 100, true));
            double dbScheduler = median(() -> dbSchedulerPeer.consume(TASKS, loops));
            chart.put("TaskQ atomic", index, atomic);
            chart.put("TaskQ batched (NOT_SUPPORTED)", index, batched);
            chart.put("db-scheduler", index, dbScheduler);
            chart.put("ref-claim1", index, claim1);
            chart.put("ref-claim10-delete-each", index, claim10);
            chart.put("ref-claim100-delete-batch", index, claim100);
            results.add("atomic-noop", loops, atomic, "tasks/s", "ref-claim1", claim1);
            results.add("atomic-noop", loops, atomic, "tasks/s", "ref-claim10-delete-each", claim10);
            results.add("atomic-noop", loops, atomic, "tasks/s", "ref-claim100-delete-batch", claim100);
            results.add("atomic-noop", loops, atomic, "tasks/s", "db-scheduler", dbScheduler);
            results.add("batched-noop", loops, batched, "tasks/s", "ref-claim1", claim1);
            results.add("batched-noop", loops, batched, "tasks/s", "ref-claim100-delete-batch", claim100);
            // ref-claim1 sends two statements per task (the claim, the delete), each in a transaction of its own.
            results.add("atomic-noop-statements", loops, atomicCost[0], "per-task", "ref-claim1", 2);
            results.add("atomic-noop-commits", loops, atomicCost[1], "per-task", "ref-claim1", 2);
            results.add("batched-noop-statements", loops, batchedCost[0], "per-task", "ref-claim1", 2);
            results.add("batched-noop-commits", loops, batchedCost[1], "per-task", "ref-claim1", 2);
        }
        TwoJvms nodes = new TwoJvms(database, transactions);
        double[] oneJvm = new double[ROUNDS];
        double[] twoJvms = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) { // interleaved, so that a drift of the machine's speed touches both
            oneJvm[i] = nodes.oneJvm(4);
            twoJvms[i] = nodes.twoJvms(2);
        }
        results.add("two-jvms-2x2-ledger", 4, Rates.median(twoJvms), "tasks/s", "one-jvm-1x4-ledger",
                Rates.median(oneJvm));
        double[] pickups = pickups();
        int defaultLoops = WorkerSettings.defaults().threads();
        results.add("pickup-p50", defaultLoops, Rates.percentile(pickups, 0.50), "ms", "target-p50", 5);
        results.add("pickup-p99", defaultLoops, Rates.percentile(pickups, 0.99), "ms", "target-p99", 25);
        results.printLines();
        chart.write(pickups, CHART);
        System.out.println("\nChart: " + CHART.toAbsolutePath());
        System.out.println("""

                References, plain JDBC on TaskQ's own table: ref-insert-1 a one-row INSERT per transaction; \
                ref-insert-1000-values one 1,000-row INSERT per transaction; ref-claimN claims N due rows with \
                FOR NO KEY UPDATE SKIP LOCKED and marks them RUNNING in one transaction, then deletes each in its \
                own (delete-each) or all in one (delete-batch), on as many connections as TaskQ has loops. \
                db-scheduler: the peer's one-time no-op tasks, lock-and-fetch, as many threads as loops. \
                two-jvms-2x2-ledger: tasks that write a ledger row, this JVM and a child JVM with 2 loops each, \
                against one JVM with 4 loops, each task's row checked to be written once. \
                Statements and commits per task: all the engine sent while it ran (claims, completions, heartbeats, \
                maintenance). \
                A task counts once its success is recorded. Pickup: \
                enqueue commit to handler start on an idle queue with default settings, %d samples, against the \
                targets of the engine issue.""".formatted(PICKUPS));
    }

    /**
     * Runs every path once, uncounted, so that no measure pays for the JIT's first compilations: a server that
     * enqueues and runs tasks all day runs compiled code, and the first measure would otherwise pay for all.
     */
    private void warmUp() throws Exception {
        reset();
        enqueueOneByOne();
        enqueueBatches();
        references.insertOneByOne(SINGLE_ENQUEUES);
        references.insertMultiRow(BATCHES, BATCH);
        reset();
        runTasks(4, NoOp.class);
        runTasks(4, OutsideNoOp.class);
        reference(4, 10, false);
        dbSchedulerPeer.consume(TASKS, 4);
    }

    private interface Round {
        double perSecond() throws Exception;
    }

    private double median(Round round) throws Exception {
        double[] results = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            reset();
            results[i] = round.perSecond();
        }
        return Rates.median(results);
    }

    private double reference(int loops, int claim, boolean batchDelete) throws Exception {
        references.fill(TASKS);
        return references.consume(TASKS, loops, claim, batchDelete);
    }

    private double enqueueOneByOne() {
        long start = System.nanoTime();
        for (int i = 0; i < SINGLE_ENQUEUES; i++) {
            tasks.enqueue(NoOp.class, i, options);
        }
        return Rates.perSecond(SINGLE_ENQUEUES, start);
    }

    private double enqueueBatches() {
        List<Integer> batch = IntStream.range(0, BATCH).boxed().toList();
        long start = System.nanoTime();
        for (int i = 0; i < BATCHES; i++) {
            tasks.enqueueAll(NoOp.class, batch, options);
        }
        return Rates.perSecond(BATCH * BATCHES, start);
    }

    /** @return tasks per second from the worker's start until the last success is recorded (committed) */
    private double runTasks(int loops, Class<? extends TaskHandler<Integer>> handler) throws Exception {
        List<Integer> batch = IntStream.range(0, BATCH).boxed().toList();
        for (int i = 0; i < TASKS / BATCH; i++) {
            tasks.enqueueAll(handler, batch, options);
        }
        vacuum();
        CountDownLatch done = new CountDownLatch(TASKS);
        ExecutorService pool = Executors.newFixedThreadPool(loops);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Engine engine = Engine.create(transactions, settings.with(WorkerSettings.THREADS, String.valueOf(loops)),
                Clock.systemUTC(), new NoOp(), new OutsideNoOp());
        engine.runListeners().add((OnOutcome) (task, outcome) -> {
            if (outcome == TaskRunner.Outcome.SUCCEEDED) {
                done.countDown();
            }
        });
        Worker worker = engine.worker(pool, scheduler);
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        long start = System.nanoTime();
        worker.start();
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("tasks did not finish: " + done.getCount() + " left");
        }
        double rate = Rates.perSecond(TASKS, start);
        lastCost = new double[] {(double) statistics.getPrepareStatementCount() / TASKS,
                (double) statistics.getTransactionCount() / TASKS};
        statistics.setStatisticsEnabled(false);
        worker.stop();
        pool.shutdownNow();
        scheduler.shutdownNow();
        return rate;
    }

    /** @return milliseconds from each enqueue's commit to its handler's start, one task at a time, idle between */
    private double[] pickups() throws Exception {
        reset();
        WorkerSettings defaults = WorkerSettings.defaults().with(WorkerSettings.QUEUES, PICKUP_QUEUE);
        Engine engine = Engine.create(transactions, defaults, Clock.systemUTC(), new Pickup());
        ExecutorService pool = Executors.newFixedThreadPool(defaults.threads());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Worker worker = engine.worker(pool, scheduler);
        worker.start();
        TaskOptions pickup = TaskOptions.defaults().withQueue(PICKUP_QUEUE);
        // Each enqueue at a random moment 50-150 ms after the previous task completed, when the loops wait for work,
        // so that enqueues fall anywhere in the poll interval.
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        double[] delays = new double[PICKUPS];
        try {
            for (int i = 0; i < PICKUPS; i++) {
                pacer.schedule(() -> engine.queue().enqueue(Pickup.class, System.nanoTime(), pickup), // commits
                        50 + ThreadLocalRandom.current().nextInt(100), TimeUnit.MILLISECONDS).get();
                Long delay = Pickup.DELAYS.poll(1, TimeUnit.MINUTES);
                if (delay == null) {
                    throw new IllegalStateException("pickup " + i + " did not start within a minute");
                }
                delays[i] = delay / 1e6;
                awaitIdle(PICKUP_QUEUE);
            }
        } finally {
            worker.stop();
            pool.shutdownNow();
            scheduler.shutdownNow();
            pacer.shutdownNow();
        }
        return delays;
    }

    /**
     * Waits until the queue's task has completed, so that the next enqueue meets loops that wait for work, not one
     * that is about to claim again after its task.
     */
    private void awaitIdle(String queue) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            while (true) {
                String count = "select count(*) from taskq_task where queue = '" + queue + "'";
                try (var rows = statement.executeQuery(count)) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pickup task did not complete within 30 s");
                }
                Thread.onSpinWait();
            }
        }
    }

    private void reset() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("truncate taskq_task");
        }
        vacuum();
    }

    private void vacuum() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("vacuum analyze taskq_task");
        }
    }
}
