package dev.taskq.bench;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QuietLogs;
import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * TaskQ's engine in Java SE against the test PostgreSQL, beside a plain-JDBC baseline measured in the same run.
 * Every figure is the median of {@value #ROUNDS} rounds; each round starts from a freshly vacuumed table.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.taskq.bench.Benchmark}
 */
public final class Benchmark {

    private static final int ROUNDS = 3;
    private static final int SINGLE_ENQUEUES = 2_000;
    private static final int BATCH = 1_000;
    private static final int BATCHES = 20;
    private static final int TASKS = 5_000;
    private static final int[] LOOPS = {1, 2, 4, 8};
    private static final String QUEUE = "bench";

    /** Does nothing: the benchmark measures the queue, not the work. */
    @TaskName("noop")
    public static final class NoOp implements TaskHandler<Integer> {
        static final AtomicReference<CountDownLatch> DONE = new AtomicReference<>(new CountDownLatch(0));

        @Override
        public void handle(Integer args) {
            DONE.get().countDown();
        }
    }

    private final TestDatabase database = TestDatabase.get();
    private final LocalTransactions transactions = new LocalTransactions(database.entityManagerFactory());
    private final WorkerSettings settings = WorkerSettings.defaults()
            .with(WorkerSettings.QUEUES, QUEUE)
            .with(WorkerSettings.BATCH_SIZE, "10")
            .with(WorkerSettings.POLL_INTERVAL, "10ms");
    private final TaskQueue tasks = Engine.create(transactions, settings, Clock.systemUTC(), new NoOp()).queue();
    private final TaskOptions options = TaskOptions.defaults().withQueue(QUEUE);

    public static void main(String[] args) throws Exception {
        QuietLogs.apply();
        new Benchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        prepareBaselineTable();
        System.out.printf("%nTaskQ benchmark: %s, %d cores, median of %d rounds%n%n", database.url(),
                Runtime.getRuntime().availableProcessors(), ROUNDS);
        System.out.printf("%-40s %14s %16s %8s%n", "measure", "TaskQ /s", "JDBC baseline /s", "ratio");

        row("enqueue, 1 task per transaction", median(this::enqueueOneByOne), median(this::baselineInsertOneByOne));
        row("enqueue, batches of 1,000", median(this::enqueueBatches), median(this::baselineInsertBatches));
        for (int loops : LOOPS) {
            int n = loops;
            row("no-op tasks, " + loops + " loop(s)", median(() -> runTasks(n)), median(() -> baselineConsume(n)));
        }
        System.out.println("\nBaseline: enqueue = one-row INSERT per transaction, or a JDBC batch of 1,000 INSERTs per "
                + "transaction; tasks = one "
                + "transaction per task that inserts one row and deletes one (DELETE ... FOR UPDATE SKIP LOCKED), "
                + "on as many threads as TaskQ has loops. TaskQ claims 10 tasks per transaction and completes "
                + "each in its own transaction.");
    }


    private static void row(String name, double taskq, double baseline) {
        System.out.printf("%-40s %,14.0f %,16.0f %8.2f%n", name, taskq, baseline, taskq / baseline);
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
        Arrays.sort(results);
        return results[ROUNDS / 2];
    }

    private double enqueueOneByOne() {
        long start = System.nanoTime();
        for (int i = 0; i < SINGLE_ENQUEUES; i++) {
            tasks.enqueue(NoOp.class, i, options);
        }
        return rate(SINGLE_ENQUEUES, start);
    }

    private double enqueueBatches() {
        List<Integer> batch = IntStream.range(0, BATCH).boxed().toList();
        long start = System.nanoTime();
        for (int i = 0; i < BATCHES; i++) {
            tasks.enqueueAll(NoOp.class, batch, options);
        }
        return rate(BATCH * BATCHES, start);
    }

    private double runTasks(int loops) throws Exception {
        List<Integer> batch = IntStream.range(0, BATCH).boxed().toList();
        for (int i = 0; i < TASKS / BATCH; i++) {
            tasks.enqueueAll(NoOp.class, batch, options);
        }
        vacuum();
        CountDownLatch done = new CountDownLatch(TASKS);
        NoOp.DONE.set(done);
        ExecutorService pool = Executors.newFixedThreadPool(loops);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Engine engine = Engine.create(transactions, settings.with(WorkerSettings.THREADS, String.valueOf(loops)),
                Clock.systemUTC(), new NoOp());
        Worker worker = engine.worker(pool, scheduler);
        long start = System.nanoTime();
        worker.start();
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("tasks did not finish: " + done.getCount() + " left");
        }
        double rate = rate(TASKS, start);
        worker.stop();
        pool.shutdownNow();
        scheduler.shutdownNow();
        return rate;
    }

    private double baselineInsertOneByOne() throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement("insert into bench_baseline (payload) values (cast(? as jsonb))")) {
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            for (int i = 0; i < SINGLE_ENQUEUES; i++) {
                insert.setString(1, "{\"n\": " + i + "}");
                insert.executeUpdate();
                connection.commit();
            }
            return rate(SINGLE_ENQUEUES, start);
        }
    }

    private double baselineInsertBatches() throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into bench_baseline (payload) values (cast(? as jsonb))")) {
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            for (int i = 0; i < BATCHES; i++) {
                for (int row = 0; row < BATCH; row++) {
                    insert.setString(1, String.valueOf(row));
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            }
            return rate(BATCH * BATCHES, start);
        }
    }

    /** Per transaction: insert one row, delete one row (the oldest unlocked); the cheapest honest queue step. */
    private double baselineConsume(int threads) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("insert into bench_baseline (payload) select '{\"n\": 1}'::jsonb "
                    + "from generate_series(1, " + TASKS + ")");
            statement.execute("vacuum analyze bench_baseline");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int share = TASKS / threads + (t < TASKS % threads ? 1 : 0);
            workers.add(pool.submit(() -> {
                try (Connection connection = database.connect();
                        PreparedStatement insert = connection.prepareStatement(
                                "insert into bench_baseline (payload) values ('{\"n\": 2}')");
                        PreparedStatement delete = connection.prepareStatement("""
                                delete from bench_baseline where id = (select id from bench_baseline order by id
                                                                       for update skip locked limit 1)""")) {
                    connection.setAutoCommit(false);
                    for (int i = 0; i < share; i++) {
                        insert.executeUpdate();
                        delete.executeUpdate();
                        connection.commit();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double rate = rate(TASKS, start);
        pool.shutdownNow();
        return rate;
    }

    private void prepareBaselineTable() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists bench_baseline (id bigint generated always as identity "
                    + "primary key, payload jsonb not null)");
        }
    }

    private void reset() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("truncate taskq_task, bench_baseline");
        }
        vacuum();
    }

    private void vacuum() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("vacuum analyze taskq_task");
            statement.execute("vacuum analyze bench_baseline");
        }
    }

    private static double rate(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }
}
