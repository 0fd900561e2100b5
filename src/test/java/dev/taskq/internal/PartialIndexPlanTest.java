package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.Task;
import dev.taskq.TaskFilter;
import dev.taskq.TaskGroup;
import dev.taskq.TaskState;
import dev.taskq.support.RecordedSql;
import dev.taskq.support.TestDatabase;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every statement that a partial index is meant to serve still uses it under PostgreSQL's generic plan, which
 * a prepared statement gets after five executions (forced here with {@code plan_cache_mode}). A state bound as a
 * parameter ({@code state = ?}) cannot match a partial index's {@code where state = 'PENDING'} in a generic plan:
 * the claim then became a sequential scan and sort of the whole table.
 *
 * <p>The SQL is what Hibernate really sends (recorded while TaskQ's own code runs it); it is then prepared and
 * explained on a connection whose transaction holds 200,000 pending tasks and a few of every other state, and
 * rolls them back.
 */
class PartialIndexPlanTest {

    private static final int PENDING_ROWS = 200_000;

    private static final LocalTransactions tx = new LocalTransactions(TestDatabase.get().entityManagerFactory());
    private static final String queue = "plan-" + UUID.randomUUID().toString().substring(0, 8);
    private static final TaskStore store = new TaskStore();
    private static final DirtyStore dirty = new DirtyStore();
    private static final AdminStore admin = new AdminStore();
    private static final Instant now = Instant.now();
    private static Connection connection;

    @BeforeAll
    static void fillTheTableInATransactionThatRollsBack() throws SQLException {
        connection = TestDatabase.get().connect();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, max_attempts,
                                            unique_key, created_at, started_at, alive_at, finished_at, worker)
                    select -n, '%s', 'plan', '{}', state, 0, now() - interval '1 minute', 1, 3,
                           'plan-key-' || n, now(), now(), now() - interval '1 hour',
                           case when state in ('FAILED', 'SUCCEEDED') then now() end,
                           case when state = 'RUNNING' then 'node' end
                    from (select n, case when n <= %d then 'PENDING'
                                         else (array['RUNNING', 'FAILED', 'SUCCEEDED'])[n %% 3 + 1] end as state
                          from generate_series(1, %d) as n) as rows""".formatted(queue, PENDING_ROWS,
                    PENDING_ROWS + 3_000));
            statement.execute("analyze taskq_task");
            statement.execute("set local plan_cache_mode = force_generic_plan");
        }
    }

    @AfterAll
    static void rollBack() throws SQLException {
        connection.rollback();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("vacuum analyze taskq_task"); // the next tests start from a clean table again
        }
        connection.close();
    }

    @Test
    void theClaimUsesTheClaimIndex() throws SQLException {
        String sql = sent(em -> new ClaimStore().claimDue(em, List.of(queue), now, 10, "node", () -> { }), " for ");
        assertUses("taskq_task_claim", sql, "'" + queue + "'", "now()", "10");
    }

    /**
     * The queues' stats count the live tasks through a partial index of live tasks (PostgreSQL picks the unique
     * keys' or the claim's and the heartbeat's), so that kept tasks do not make them slower. Counting nearly every row of this table, a sequential scan is rightly cheaper,
     * so this asks whether the indexes can serve the count at all: with sequential scans disabled.
     */
    @Test
    void theStatsCountTheLiveTasksThroughTheirPartialIndexes() throws SQLException {
        String sql = sent(em -> admin.queues(em, now, now, Set.of()), "or state = 'RUNNING'");
        String plan;
        try (Statement statement = connection.createStatement()) {
            statement.execute("set local enable_seqscan = off");
            plan = genericPlan(sql, "now()", "now()", "now()", "now()", "now()");
        } finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute("set local enable_seqscan = on");
            }
        }
        boolean liveIndexes = plan.contains("taskq_task_unique_scoped")
                || plan.contains("taskq_task_claim") && plan.contains("taskq_task_running");
        assertTrue(liveIndexes && !plan.contains("Seq Scan") && !plan.contains("taskq_task_pkey"),
                "expected partial indexes of live tasks to serve\n  " + sql + "\nbut the plan was\n" + plan);
    }

    /** ... and the kept tasks with an index-only count per group, never reading their rows. */
    @Test
    void theStatsCountTheKeptTasksFromTheirIndexAlone() throws SQLException {
        String sql = sent(em -> admin.queues(em, now, now, Set.of()), "group by queue, state");
        String plan = genericPlan(sql);
        // The cancelled rows' count is index-only too once vacuum has marked their pages all-visible, which this
        // database's disabled autovacuum leaves to chance; that it reads only their index is what matters here.
        assertTrue(plan.contains("Index Only Scan using taskq_task_kept ") && plan.contains(" taskq_task_cancelled ")
                && !plan.contains("Seq Scan"),
                "expected an index-only scan of taskq_task_kept and a scan of taskq_task_cancelled for\n  " + sql
                        + "\nbut the plan was\n" + plan);
    }

    @Test
    void theDirtyCheckUsesTheRunningIndex() throws SQLException {
        assertUses("taskq_task_running", sent(em -> dirty.countDirty(em, now), "count("), "now()");
        assertUses("taskq_task_running", sent(em -> dirty.findDirty(em, now, 100), "alive_at"), "now()", "100");
        assertUses("taskq_task_running", sent(em -> dirty.requeueDirty(em, now.minusSeconds(86_400), now), "with "),
                "now() - interval '1 day'", "now()", "now()", "'lost'", "now()", "'lost'");
        assertUses("taskq_task_running", sent(em -> admin.runningByNode(em), "group by"));
    }

    @Test
    void thePrunerUsesTheKeptIndex() throws SQLException {
        for (TaskState state : List.of(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED)) {
            String sql = sent(em -> store.pruneFinished(em, state, now.minusSeconds(86_400), 1_000), "delete");
            assertUses(state == TaskState.CANCELLED ? "taskq_task_cancelled" : "taskq_task_kept", sql,
                    "now() - interval '1 day'", "now() - interval '1 day'", "1000");
        }
    }

    @Test
    void theAdminListingsUseTheirIndexes() throws SQLException {
        assertUses("taskq_task_kept", sent(em -> admin.list(em, TaskGroup.FAILED, TaskFilter.all(), 0, 50, now,
                now), "select"), "0", "50");
        assertUses("taskq_task_running", sent(em -> admin.list(em, TaskGroup.DIRTY, TaskFilter.all(), 0, 50, now,
                now), "select"), "now()", "0", "50");
    }

    @Test
    void aHeldUniqueKeyIsFoundThroughTheKeyIndexes() throws SQLException {
        String key = "plan-" + UUID.randomUUID();
        Task task = new Task(queue, "plan", "{}", 0, now, 1, key, now);
        Task again = new Task(queue, "plan", "{}", 0, now, 1, key, now);
        List<String> statements = new ArrayList<>();
        tx.requiresNew(em -> {
            UniqueInsert.insert(em, task, false, false);
            RecordedSql.clear();
            UniqueInsert.insert(em, again, false, false); // the key is held: the insert does nothing, the holder is looked up
            statements.addAll(RecordedSql.statements());
            em.createQuery("delete from Task t where t.uniqueKey = :key").setParameter("key", key).executeUpdate();
            return null;
        });
        String lookup = statements.stream().filter(sql -> sql.startsWith("(select id")).findFirst()
                .orElseThrow(() -> new AssertionError("no look-up of the key's holder in " + statements));
        String[] scopeAndKey = {"''", "'plan-key-7'", "''", "'plan-key-7'", "now()"};
        assertUses("taskq_task_unique_scoped", lookup, scopeAndKey);
        assertUses("taskq_task_unique_kept", lookup, scopeAndKey);
    }

    /** @return the one statement containing {@code marker} that TaskQ's code sent while {@code work} ran */
    private static String sent(Consumer<EntityManager> work, String marker) {
        RecordedSql.clear();
        tx.requiresNew(em -> {
            work.accept(em);
            em.flush();
            return null;
        });
        List<String> statements = RecordedSql.statements();
        return statements.stream().filter(sql -> sql.contains("taskq_task") && sql.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no statement with '" + marker + "' in " + statements));
    }

    private static void assertUses(String index, String sql, String... arguments) throws SQLException {
        String plan = genericPlan(sql, arguments);
        assertTrue(plan.contains(" using " + index + " "),
                "expected the generic plan to use " + index + " for\n  " + sql + "\nbut it was\n" + plan);
    }

    /** Prepares {@code sql} as sent, with {@code ?} numbered, and explains its generic plan for these arguments. */
    private static String genericPlan(String sql, String... arguments) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        Matcher placeholder = Pattern.compile("\\?").matcher(sql);
        int n = 0;
        while (placeholder.find()) {
            placeholder.appendReplacement(numbered, "\\$" + ++n);
        }
        placeholder.appendTail(numbered);
        if (n != arguments.length) {
            throw new AssertionError("the statement takes " + n + " parameters, the test gave " + arguments.length
                    + ": " + sql);
        }
        StringBuilder plan = new StringBuilder();
        try (Statement statement = connection.createStatement()) {
            statement.execute("prepare taskq_plan as " + numbered);
            String execute = "execute taskq_plan" + (n == 0 ? "" : "(" + String.join(", ", arguments) + ")");
            try (ResultSet rows = statement.executeQuery("explain " + execute)) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            } finally {
                statement.execute("deallocate taskq_plan");
            }
        }
        System.out.println("Generic plan of: " + sql + "\n" + plan);
        return plan.toString();
    }
}
