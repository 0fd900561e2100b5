package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerEntry;
import dev.taskq.support.Ref;
import dev.taskq.support.TcpProxy;
import dev.taskq.support.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away while a worker runs 1,000 tasks, under the default dirty policy {@code keep}: through a TCP
 * proxy that drops every connection and refuses new ones (a restart, a network failure), and by killing the
 * worker's backends. Each task writes a ledger row in its own transaction, and the handler counts its runs, so the
 * test counts outcomes: every task ran to success exactly once as the ledger sees it, none is left RUNNING, and no
 * task was charged an attempt it did not start. A handler that runs outside a transaction has its successes recorded
 * in batches; it does no database work, so its count of runs is the ledger: each task ran exactly once.
 */
class OutageTest {

    private static final int TASKS = 1_000;

    private final TestDatabase database = TestDatabase.get();
    private final String queue = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    private TcpProxy proxy;
    private EntityManagerFactory proxied;
    private LocalTransactions tx;
    private ExecutorService loops;
    private ScheduledExecutorService scheduler;
    private Engine engine;
    private Worker worker;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    /** Writes the ledger row in the worker's transaction, after a little work, and counts every run. */
    @TaskName("outage-ledger")
    final class Ledger implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            runs.computeIfAbsent(args.ref(), ref -> new AtomicInteger()).incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the work an outage can catch in flight
            tx.currentEntityManager().persist(new LedgerEntry(queue, args.ref()));
        }
    }

    /** Runs outside a transaction, its success recorded with a batch: its runs are counted in memory only. */
    @TaskName("outage-outside")
    @jakarta.transaction.Transactional(jakarta.transaction.Transactional.TxType.NOT_SUPPORTED)
    final class Outside implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            runs.computeIfAbsent(args.ref(), ref -> new AtomicInteger()).incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @BeforeEach
    void start() throws Exception {
        proxy = TcpProxy.to(database.url());
        proxied = database.entityManagerFactoryAt(withApplicationName(proxy.route(database.url())),
                Map.of("hibernate.connection.pool_size", "10"));
        tx = new LocalTransactions(proxied);
        WorkerSettings settings = WorkerSettings.defaults()
                .with(WorkerSettings.QUEUES, queue)
                .with(WorkerSettings.NODE_ID, "node-" + queue)
                .with(WorkerSettings.SUCCEEDED_RETENTION, "1h"); // kept rows show each task's attempts
        engine = Engine.create(tx, settings, Clock.systemUTC(), new Ledger(), new Outside());
        loops = Executors.newFixedThreadPool(settings.threads());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        worker = engine.worker(loops, scheduler);
    }

    @AfterEach
    void stop() throws Exception {
        worker.stop();
        loops.shutdownNow();
        scheduler.shutdownNow();
        proxied.close();
        proxy.close();
        // Its kept rows would be other tests' business: the pruner works on the whole table.
        query("with gone as (delete from taskq_task where queue = '" + queue + "' returning 1) select count(*) from gone");
    }

    @Test
    void anOutageOfThreeSecondsCostsNoTaskAndNoAttempt() throws Exception {
        runThrough(Ledger.class, () -> proxy.cut(Duration.ofSeconds(3)), Duration.ofSeconds(3));
    }

    @Test
    void anOutageOfFortySecondsCostsNoTaskAndNoAttempt() throws Exception {
        runThrough(Ledger.class, () -> proxy.cut(Duration.ofSeconds(40)), Duration.ofSeconds(40));
    }

    @Test
    void killedBackendsCostNoTaskAndNoAttempt() throws Exception {
        runThrough(Ledger.class, this::killBackendsFiveTimes, Duration.ZERO);
    }

    @Test
    void anOutageOfThreeSecondsCostsBatchedCompletionsNothing() throws Exception {
        runThrough(Outside.class, () -> proxy.cut(Duration.ofSeconds(3)), Duration.ofSeconds(3));
    }

    @Test
    void killedBackendsCostBatchedCompletionsNothing() throws Exception {
        runThrough(Outside.class, this::killBackendsFiveTimes, Duration.ZERO);
    }

    private void killBackendsFiveTimes() {
        for (int kill = 0; kill < 5; kill++) {
            long before = succeeded();
            terminateWorkerBackends();
            Await.until(Duration.ofSeconds(30), "work goes on after the backends were killed",
                    () -> succeeded() > before + 20 || succeeded() == TASKS);
        }
    }

    private void runThrough(Class<? extends TaskHandler<Ref>> handler, Runnable fault, Duration outage)
            throws Exception {
        List<Ref> refs = IntStream.range(0, TASKS).mapToObj(i -> new Ref("t" + i)).toList();
        engine.queue().enqueueAll(handler, refs, TaskOptions.defaults().withQueue(queue));
        worker.start();
        Await.until(Duration.ofSeconds(60), "a tenth of the tasks ran", () -> succeeded() >= TASKS / 10);
        fault.run();
        long answersAgain = System.nanoTime() + outage.toNanos();
        long atCut = succeeded();
        Await.until(outage.plus(Duration.ofSeconds(5)), "work resumes within 5 s of the database answering",
                () -> succeeded() > atCut || succeeded() == TASKS);
        System.out.printf("work resumed %d ms after the database answered again%n",
                Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answersAgain)));
        Await.until(Duration.ofMinutes(2), "every task ran", () -> count("state <> 'SUCCEEDED'") == 0);

        Map<String, Integer> ledger = handler == Ledger.class ? ledger() : runsInMemory();
        assertEquals(TASKS, ledger.size(), "every task has its ledger row: none lost");
        assertEquals(Map.of(), filter(ledger, n -> n != 1), "no task's work was done twice");
        assertEquals(0, count("state = 'RUNNING'"), "no task is left RUNNING");
        Map<String, Integer> charged = attempts();
        Map<String, Integer> mismatched = new HashMap<>();
        charged.forEach((ref, attempts) -> {
            int ran = runs.getOrDefault(ref, new AtomicInteger()).get();
            if (attempts != ran) {
                mismatched.put(ref, attempts * 1000 + ran);
            }
        });
        assertEquals(Map.of(), mismatched, "every task's attempts are the runs it had (attempts * 1000 + runs): no "
                + "attempt charged to a task that did not start");
        assertTrue(worker.unhealthyReason() == null, "the worker is healthy again: " + worker.unhealthyReason());
    }

    /** @return how many tasks' success was recorded */
    private long succeeded() {
        return count("state = 'SUCCEEDED'");
    }

    private Map<String, Integer> runsInMemory() {
        Map<String, Integer> counts = new HashMap<>();
        runs.forEach((ref, count) -> counts.put(ref, count.get()));
        return counts;
    }

    private Map<String, Integer> ledger() {
        Map<String, Integer> counts = new HashMap<>();
        query("select ref, count(*) from test_ledger where queue = '" + queue + "' group by ref")
                .forEach(row -> counts.put((String) row[0], (int) row[1]));
        return counts;
    }

    private Map<String, Integer> attempts() {
        Map<String, Integer> attempts = new HashMap<>();
        query("select args->>'ref', attempt from taskq_task where queue = '" + queue + "'")
                .forEach(row -> attempts.put((String) row[0], (int) row[1]));
        return attempts;
    }

    private long count(String predicate) {
        return (int) query("select count(*) from taskq_task where queue = '" + queue + "' and " + predicate)
                .get(0)[0];
    }

    private void terminateWorkerBackends() {
        query("select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '"
                + applicationName() + "'");
    }

    private String applicationName() {
        return "taskq-" + queue;
    }

    private String withApplicationName(String url) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName();
    }

    private static <K> Map<K, Integer> filter(Map<K, Integer> map, java.util.function.IntPredicate keep) {
        Map<K, Integer> kept = new HashMap<>();
        map.forEach((key, value) -> {
            if (keep.test(value)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    /** Reads straight from PostgreSQL, not through the proxy: the test looks while the worker's database is away. */
    private List<Object[]> query(String sql) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<Object[]> result = new java.util.ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    Object value = rows.getObject(i + 1);
                    row[i] = value instanceof Long l ? (Object) l.intValue() : value;
                }
                result.add(row);
            }
            return result;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
