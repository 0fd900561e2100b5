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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * TaskQ's engine in Java SE against the test PostgreSQL, beside the bare-SQL references of {@link References}
 * measured in the same run on the same table. Every throughput is the median of {@value #ROUNDS} rounds, each from
 * a freshly vacuumed table, taken in turns with the measures it is compared with ({@link Interleaved}); pickup is
 * measured on an idle queue with the default settings ({@link PickupBenchmark}).
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@bench}. Besides the table it prints one {@code RESULT} line per
 * pair of measure and reference (see {@link Results}). While tuning, {@code -Dtaskq.bench.parts} and
 * {@code -Dtaskq.bench.loops} narrow it; the chart is drawn by a full run only.
 */
public final class Benchmark {

    private static final int ROUNDS = 5;
    /** Each round of the two-JVM measure starts a JVM and warms it up: a minute and more. */
    private static final int TWO_JVMS_ROUNDS = 3;
    private static final int SINGLE_ENQUEUES = 2_000;
    private static final int BATCH = 1_000;
    private static final int BATCHES = 20;
    private static final int TASKS = 5_000;
    /** The batched mode and its reference run some 20,000 tasks a second: a round of {@value #TASKS} is too short. */
    private static final int BATCHED_TASKS = 20_000;
    private static final int WARM_UP_TASKS = 400_000;
    private static final int WARM_UP_ROUND = 40_000;
    private static final int PICKUPS = 200;
    /** {@code -Dtaskq.bench.loops=1,8} measures the throughput at those loop counts alone (while tuning). */
    private static final int[] LOOPS = java.util.Arrays.stream(System.getProperty("taskq.bench.loops", "1,2,4,8")
            .split(",")).mapToInt(Integer::parseInt).toArray();
    /** {@code -Dtaskq.bench.parts=throughput} runs only those of enqueue, throughput, two-jvms and pickup. */
    private static final List<String> PARTS = List.of(System.getProperty("taskq.bench.parts",
            "enqueue,throughput,two-jvms,pickup").split(","));
    private static final String QUEUE = "bench";
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
    /** The pickup part's samples, from the enqueue's commit, for the chart. */
    private double[] pickupMillis;

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
        if (PARTS.contains("enqueue")) {
            enqueue(results);
        }
        Chart chart = new Chart(LOOPS);
        if (PARTS.contains("throughput")) {
            throughput(results, chart);
        }
        if (PARTS.contains("two-jvms")) {
            twoJvms(results);
        }
        if (PARTS.contains("pickup")) {
            pickup(results);
        }
        results.printLines();
        if (PARTS.size() == 4 && LOOPS.length == 4) {
            chart.write(pickupMillis, CHART);
            System.out.println("\nChart: " + CHART.toAbsolutePath());
        }
        System.out.println(LEGEND.formatted(PICKUPS));
    }

    private void enqueue(Results results) throws Exception {
        Map<String, Double> enqueue = new Interleaved(ROUNDS, this::reset)
                .add("enqueue-1", this::enqueueOneByOne)
                .add("ref-insert-1", () -> references.insertOneByOne(SINGLE_ENQUEUES))
                .add("enqueue-all-1000", this::enqueueBatches)
                .add("ref-insert-1000-values", () -> references.insertMultiRow(BATCHES, BATCH))
                .medians();
        results.add("enqueue-1", 1, enqueue.get("enqueue-1"), "tasks/s", "ref-insert-1", enqueue.get("ref-insert-1"));
        results.add("enqueue-all-1000", 1, enqueue.get("enqueue-all-1000"), "tasks/s", "ref-insert-1000-values",
                enqueue.get("ref-insert-1000-values"));
    }

    private void throughput(Results results, Chart chart) throws Exception {
        for (int index = 0; index < LOOPS.length; index++) {
            int loops = LOOPS[index];
            double[][] cost = new double[2][];
            Map<String, Double> rate = new Interleaved(ROUNDS, this::reset)
                    .add("atomic-noop", () -> {
                        double tasksPerSecond = runTasks(loops, NoOp.class, TASKS);
                        cost[0] = lastCost;
                        return tasksPerSecond;
                    })
                    .add("batched-noop", () -> {
                        double tasksPerSecond = runTasks(loops, OutsideNoOp.class, BATCHED_TASKS);
                        cost[1] = lastCost;
                        return tasksPerSecond;
                    })
                    .add("ref-claim1", () -> reference(loops, 1, false, TASKS))
                    .add("ref-claim10-delete-each", () -> reference(loops, 10, false, TASKS))
                    .add("ref-claim100-delete-batch", () -> reference(loops, 100, true, BATCHED_TASKS))
                    .add("db-scheduler", () -> dbSchedulerPeer.consume(TASKS, loops))
                    .medians();
            chart.put("TaskQ atomic", index, rate.get("atomic-noop"));
            chart.put("TaskQ batched (NOT_SUPPORTED)", index, rate.get("batched-noop"));
            for (String peer : List.of("db-scheduler", "ref-claim1", "ref-claim10-delete-each",
                    "ref-claim100-delete-batch")) {
                chart.put(peer, index, rate.get(peer));
            }
            for (String reference : List.of("ref-claim1", "ref-claim10-delete-each", "ref-claim100-delete-batch",
                    "db-scheduler")) {
                results.add("atomic-noop", loops, rate.get("atomic-noop"), "tasks/s", reference, rate.get(reference));
            }
            for (String reference : List.of("ref-claim1", "ref-claim100-delete-batch")) {
                results.add("batched-noop", loops, rate.get("batched-noop"), "tasks/s", reference,
                        rate.get(reference));
            }
            // ref-claim1 sends two statements per task (the claim, the delete), each in a transaction of its own.
            // The costs are those of each mode's last round.
            results.add("atomic-noop-statements", loops, cost[0][0], "per-task", "ref-claim1", 2);
            results.add("atomic-noop-commits", loops, cost[0][1], "per-task", "ref-claim1", 2);
            results.add("batched-noop-statements", loops, cost[1][0], "per-task", "ref-claim1", 2);
            results.add("batched-noop-commits", loops, cost[1][1], "per-task", "ref-claim1", 2);
        }
    }

    private void twoJvms(Results results) throws Exception {
        TwoJvms nodes = new TwoJvms(database, transactions);
        double[] oneJvm = new double[TWO_JVMS_ROUNDS];
        double[] twoJvms = new double[TWO_JVMS_ROUNDS];
        for (int i = 0; i < TWO_JVMS_ROUNDS; i++) { // interleaved, so that a drift of the machine's speed touches both
            oneJvm[i] = nodes.oneJvm(4);
            twoJvms[i] = nodes.twoJvms(2);
        }
        results.add("two-jvms-2x2-ledger", 4, Rates.median(twoJvms), "tasks/s", "one-jvm-1x4-ledger",
                Rates.median(oneJvm));
    }

    private void pickup(Results results) throws Exception {
        reset();
        PickupBenchmark.Pickups pickups = new PickupBenchmark(database, transactions).measure(PICKUPS);
        int defaultLoops = WorkerSettings.defaults().threads();
        results.add("pickup-p50", defaultLoops, Rates.percentile(pickups.fromCommit(), 0.50), "ms", "target-p50", 5);
        results.add("pickup-p99", defaultLoops, Rates.percentile(pickups.fromCommit(), 0.99), "ms", "target-p99", 25);
        results.add("pickup-from-call-p50", defaultLoops, Rates.percentile(pickups.fromCall(), 0.50), "ms",
                "target-p50", 5);
        results.add("pickup-from-call-p99", defaultLoops, Rates.percentile(pickups.fromCall(), 0.99), "ms",
                "target-p99", 25);
        pickupMillis = pickups.fromCommit();
    }

    private static final String LEGEND = """

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
                enqueue commit (the enqueue call's return) to handler start on an idle queue with default settings, \
                %d samples, against the targets of the engine issue; pickup-from-call counts from the enqueue call's \
                begin, its transaction included.""";

    /**
     * Runs every path, uncounted, until the JIT has compiled it: a server that enqueues and runs tasks all day runs
     * compiled code, and the first measures would otherwise pay for the compilations. A claim serves dozens of
     * batched tasks, so its code is called that much more rarely than a task's, and the JIT compiles it fully only
     * after some 10,000 claims: measured, 45 us of JVM CPU per batched task over the first 40,000 tasks, 12 us from
     * about the 400,000th on.
     */
    private void warmUp() throws Exception {
        reset();
        enqueueOneByOne();
        enqueueBatches();
        references.insertOneByOne(SINGLE_ENQUEUES);
        references.insertMultiRow(BATCHES, BATCH);
        for (int round = 0; round < WARM_UP_TASKS / WARM_UP_ROUND; round++) {
            reset();
            runTasks(4, OutsideNoOp.class, WARM_UP_ROUND);
        }
        for (int round = 0; round < 2; round++) {
            reset();
            runTasks(4, NoOp.class, TASKS);
            reset();
            reference(4, 10, false, TASKS);
            reset();
            reference(4, 100, true, BATCHED_TASKS);
            reset();
            dbSchedulerPeer.consume(TASKS, 4);
        }
    }

    private double reference(int loops, int claim, boolean batchDelete, int count) throws Exception {
        references.fill(count);
        return references.consume(count, loops, claim, batchDelete);
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

    /**
     * @param count how many tasks, a multiple of {@value #BATCH}
     * @return tasks per second from the worker's start until the last success is recorded (committed)
     */
    private double runTasks(int loops, Class<? extends TaskHandler<Integer>> handler, int count) throws Exception {
        List<Integer> batch = IntStream.range(0, BATCH).boxed().toList();
        for (int i = 0; i < count / BATCH; i++) {
            tasks.enqueueAll(handler, batch, options);
        }
        vacuum();
        CountDownLatch done = new CountDownLatch(count);
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
        double rate = Rates.perSecond(count, start);
        lastCost = new double[] {(double) statistics.getPrepareStatementCount() / count,
                (double) statistics.getTransactionCount() / count};
        statistics.setStatisticsEnabled(false);
        worker.stop();
        pool.shutdownNow();
        scheduler.shutdownNow();
        return rate;
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
