package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A claim that fails while the database answers (here a trigger refuses it; in life a deadlock or a statement
 * timeout) is tried again within seconds, not at the next poll, which may be minutes away.
 */
class ClaimFailureTest {

    private final QueueHarness h = new QueueHarness();
    private final String trigger = "refuse_" + h.queue.replace('-', '_');

    @AfterEach
    void close() throws Exception {
        sql("drop trigger if exists " + trigger + " on taskq_task");
        sql("drop function if exists " + trigger + "()");
        sql("drop sequence if exists " + trigger + "_seq");
        h.close();
    }

    @Test
    void aClaimRefusedOnceIsTriedAgainWithinSecondsThoughThePollIsTenMinutesAway() throws Exception {
        // The refusal counts itself in a sequence, which the claim's rollback does not undo.
        sql("create sequence " + trigger + "_seq");
        sql("create function " + trigger + "() returns trigger language plpgsql as $$ begin"
                + " perform nextval('" + trigger + "_seq');"
                + " raise exception 'the test refuses this claim'; end $$");
        sql("create trigger " + trigger + " before update on taskq_task for each row when (new.queue = '"
                + h.queue + "' and new.state = 'RUNNING') execute function " + trigger + "()");
        h.startWith(settings -> settings.with(WorkerSettings.POLL_INTERVAL, "10m"), new LedgerHandler(h));
        h.tasks().enqueue(LedgerHandler.class, new Ref("after-refusal"), h.options());

        h.startWorker();
        Await.until(Duration.ofSeconds(20), "the worker tried to claim, and was refused", () -> refusals() > 0);
        sql("drop trigger " + trigger + " on taskq_task");

        Await.until(Duration.ofSeconds(20), "the task ran after the refusal", () -> h.ledger().size() == 1);
        assertEquals(List.of("after-refusal"), h.ledger());
        assertEquals(0, h.count(TaskState.PENDING) + h.count(TaskState.RUNNING), "nothing left PENDING or RUNNING");
    }

    private long refusals() {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select case when is_called then last_value else 0 end from "
                        + trigger + "_seq")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = TestDatabase.get().connect(); Statement run = connection.createStatement()) {
            run.execute(statement);
        }
    }
}
