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
    private static final TcpProxy PROXY = proxy();

    @Deployment
    static WebArchive deployment() {
        return ItDeployment.war("server-outage", PROXY.route(TestDatabase.get().url()),
                ItDeployment.with(ItDeployment.FAST, "taskq.worker.queues", QUEUE, "taskq.worker.dirty-policy", "keep",
                        "taskq.worker.dirty-threshold", "30s"), LedgerJobHandler.class, Job.class);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        PROXY.close();
    }

    @Test
    void anOutageOfThreeSecondsCostsNoTaskAndLeavesNoneRunning() throws Exception {
        enqueueAsAnotherNode();
        Await.until(Duration.ofMinutes(2), "a tenth of the tasks ran", () -> ledger() >= TASKS / 10);

        PROXY.cut(Duration.ofSeconds(3));
        long cutAt = System.nanoTime();
        Await.until(Duration.ofMinutes(3), "every task ran", () -> count("true") == 0
                && ledger() == TASKS);
        System.out.printf("ServerOutageIT: all %d tasks done %.1f s after the 3 s outage began%n", TASKS,
                (System.nanoTime() - cutAt) / 1e9);

        assertEquals(TASKS, distinctLedger(), "every task's ledger row exactly once");
        assertEquals(0, count("state = 'RUNNING'"), "none left RUNNING");
    }

    private static void enqueueAsAnotherNode() throws SQLException {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, max_attempts,
                                            created_at)
                    select nextval('taskq_task_seq'), '%1$s', 'ledger-job', jsonb_build_object('ref', '%1$s-' || i),
                           'PENDING', 0, now(), 0, 10, now()
                    from generate_series(1, %2$d) i""".formatted(QUEUE, TASKS));
            statement.execute("select pg_notify('taskq', '" + QUEUE + "')");
        }
    }

    private static long ledger() {
        return TaskRows.single("select count(*) from test_ledger where queue = '" + LedgerJobHandler.LEDGER
                + "' and ref like '" + QUEUE + "-%'");
    }

    private static long distinctLedger() {
        return TaskRows.single("select count(distinct ref) from test_ledger where queue = '" + LedgerJobHandler.LEDGER
                + "' and ref like '" + QUEUE + "-%'");
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
