package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.it.app.Job;
import dev.taskq.it.app.LedgerJobHandler;
import dev.taskq.support.Await;
import dev.taskq.support.TcpProxy;
import dev.taskq.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's database goes away for 3 s while its worker runs 2,000 tasks, under the default dirty policy
 * {@code keep}: the application's data source reaches PostgreSQL through a TCP proxy of the test, which drops every
 * connection and refuses new ones. The server's pool must recover, and TaskQ must lose nothing and leave nothing
 * RUNNING: every task's ledger row exactly once.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class ServerOutageIT {

    private static final String QUEUE = "server-outage-" + UUID.randomUUID().toString().substring(0, 6);
    private static final int TASKS = 2_000;
    private static final int CUTS_AFTER_COMMIT = 5;
    private static final TcpProxy PROXY = proxy();

    @Deployment
    static WebArchive deployment() {
        // prepareThreshold=0: the driver sends COMMIT as text each time, for the proxy's cut after a commit
        String url = PROXY.route(TestDatabase.get().url());
        return ItDeployment.war("server-outage", url + (url.contains("?") ? "&" : "?") + "prepareThreshold=0",
                ItDeployment.with(ItDeployment.FAST, "taskq.worker.queues", QUEUE, "taskq.worker.dirty-policy", "keep",
                        "taskq.worker.dirty-threshold", "30s"), LedgerJobHandler.class, Job.class);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        PROXY.close();
    }

    @Test
    void anOutageOfThreeSecondsCostsNoTaskAndLeavesNoneRunning() throws Exception {
        String batch = QUEUE + "-outage";
        enqueueAsAnotherNode(batch);
        Await.until(Duration.ofMinutes(2), "a tenth of the tasks ran", () -> ledger(batch) >= TASKS / 10);

        PROXY.cut(Duration.ofSeconds(3));
        long cutAt = System.nanoTime();
        Await.until(Duration.ofMinutes(3), "every task ran", () -> count("true") == 0
                && ledger(batch) == TASKS);
        System.out.printf("ServerOutageIT: all %d tasks done %.1f s after the 3 s outage began%n", TASKS,
                (System.nanoTime() - cutAt) / 1e9);

        assertEquals(TASKS, distinctLedger(batch), "every task's ledger row exactly once");
        assertEquals(0, count("state = 'RUNNING'"), "none left RUNNING");
    }

    /**
     * The connection breaks right after the server's pool sends a COMMIT: the database commits, the answer never
     * arrives (WildFly's transaction manager calls that a heuristic hazard). Whichever commit it was (a claim, a
     * handler's work with its completion, a heartbeat), its outcome must be found out, not guessed.
     */
    @Test
    void commitsWhoseAnswerIsLostCostNoTaskAndLeaveNoneRunning() throws Exception {
        String batch = QUEUE + "-lost-answer";
        enqueueAsAnotherNode(batch);
        for (int cut = 1; cut <= CUTS_AFTER_COMMIT; cut++) {
            int done = PROXY.armedCutsDone();
            PROXY.cutAfterClientSends("COMMIT", Duration.ofMillis(500));
            Await.until(Duration.ofMinutes(1), "cut " + cut + " after a COMMIT", () -> PROXY.armedCutsDone() > done);
            long atCut = ledger(batch);
            Await.until(Duration.ofMinutes(2), "work resumed after cut " + cut,
                    () -> ledger(batch) >= Math.min(TASKS, atCut + TASKS / 20));
        }
        Await.until(Duration.ofMinutes(3), "every task ran", () -> count("true") == 0 && ledger(batch) == TASKS);

        assertEquals(TASKS, distinctLedger(batch), "every task's ledger row exactly once");
        assertEquals(0, count("state = 'RUNNING'"), "none left RUNNING");
    }

    private static void enqueueAsAnotherNode(String batch) throws SQLException {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, max_attempts,
                                            created_at)
                    select nextval('taskq_task_seq'), '%1$s', 'ledger-job', jsonb_build_object('ref', '%2$s-' || i),
                           'PENDING', 0, now(), 0, 10, now()
                    from generate_series(1, %3$d) i""".formatted(QUEUE, batch, TASKS));
            statement.execute("select pg_notify('taskq', '" + QUEUE + "')");
        }
    }

    private static long ledger(String batch) {
        return TaskRows.single("select count(*) from test_ledger where queue = '" + LedgerJobHandler.LEDGER
                + "' and ref like '" + batch + "-%'");
    }

    private static long distinctLedger(String batch) {
        return TaskRows.single("select count(distinct ref) from test_ledger where queue = '" + LedgerJobHandler.LEDGER
                + "' and ref like '" + batch + "-%'");
    }

    private static long count(String predicate) {
        return TaskRows.count("queue = ? and " + predicate, QUEUE);
    }

    private static TcpProxy proxy() {
        try {
            return TcpProxy.to(TestDatabase.get().url());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
