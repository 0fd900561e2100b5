package dev.taskq.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.Await;
import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's worker listens ({@code LISTEN taskq} on a connection of the application's data source, held on a
 * managed thread): a task another node commits, with its notification, runs at once though the poll is ten minutes
 * away. The test plays the other node with plain JDBC.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class ListenIT {

    private static final String QUEUE = "listen-it";

    @Deployment
    static WebArchive deployment() {
        return ItDeployment.war("listen", ItDeployment.with(ItDeployment.FAST, "taskq.worker.poll-interval", "10m",
                "taskq.worker.queues", QUEUE), RecordHandler.class, Environment.class, Job.class);
    }

    @Test
    void aTaskAnotherNodeCommitsRunsAtOnceThoughThePollIsTenMinutesAway() throws Exception {
        Await.until(Duration.ofSeconds(30), "the server's worker listens, as its readiness check says", () -> {
            JsonNode taskq = HealthIT.check();
            return taskq != null && "UP".equals(taskq.path("status").asText())
                    && taskq.path("data").path("listening").asBoolean();
        });
        for (int i = 0; i < 5; i++) {
            String ref = "listen-" + UUID.randomUUID().toString().substring(0, 8);
            long committed = enqueueAsAnotherNode(ref);
            try {
                Await.until(Duration.ofSeconds(10), "the task ran", () -> TaskRows.single(
                        "select count(*) from test_ledger where ref like 'ran " + ref + " %'") == 1);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (task " + (i + 1) + " of 5); its row: " + row(ref)
                        + "; the server's check: " + HealthIT.check() + "; the server's connections: " + backends(), e);
            }
            System.out.printf("ListenIT: the server ran another node's task within %.1f ms of its commit%n",
                    (System.nanoTime() - committed) / 1e6);
        }
    }

    /** @return when the commit returned, by {@link System#nanoTime()} */
    private static long enqueueAsAnotherNode(String ref) throws SQLException {
        try (Connection connection = TestDatabase.get().connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, max_attempts,
                                            created_at)
                    values (nextval('taskq_task_seq'), ?, 'record', cast(? as jsonb), 'PENDING', 0, now(), 0, 3,
                            now())""");
                    PreparedStatement notify = connection.prepareStatement("select pg_notify('taskq', ?)")) {
                insert.setString(1, QUEUE);
                insert.setString(2, "{\"ref\": \"" + ref + "\"}");
                insert.executeUpdate();
                notify.setString(1, QUEUE);
                notify.execute();
            }
            connection.commit();
            return System.nanoTime();
        }
    }

    /** @return the task's row as the failure report shows it: state, attempt, worker, claim and error */
    private static String row(String ref) {
        try (Connection connection = TestDatabase.get().connect();
                PreparedStatement statement = connection.prepareStatement("select state, attempt, worker, started_at, "
                        + "alive_at, last_error from taskq_task where queue = ? and args ->> 'ref' = ?")) {
            statement.setString(1, QUEUE);
            statement.setString(2, ref);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return "none";
                }
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= 6; column++) {
                    row.append(column == 1 ? "" : " ").append(rows.getString(column));
                }
                return row.toString();
            }
        } catch (SQLException e) {
            return e.toString();
        }
    }

    private static String backends() {
        try (Connection connection = TestDatabase.get().connect();
                PreparedStatement statement = connection.prepareStatement("select pid, state, xact_start, query "
                        + "from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
                ResultSet rows = statement.executeQuery()) {
            StringBuilder all = new StringBuilder();
            while (rows.next()) {
                all.append("\n  ").append(rows.getInt(1)).append(' ').append(rows.getString(2)).append(' ')
                        .append(rows.getString(3)).append(' ').append(rows.getString(4));
            }
            return all.toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }
}
