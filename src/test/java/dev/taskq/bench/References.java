package dev.taskq.bench;

import dev.taskq.support.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The bare-SQL references the benchmark compares TaskQ with: plain JDBC, no library, on TaskQ's own table and
 * indexes (queue {@value #QUEUE}), so that a ratio measures what TaskQ adds and nothing else. Each consumer claims
 * with the claim index's order and {@code FOR NO KEY UPDATE SKIP LOCKED}, marks the rows RUNNING in the same
 * transaction, and deletes them in another: the least a queue that survives a crash mid-task must do.
 */
final class References {

    static final String QUEUE = "bench-ref";

    private static final String CLAIM = """
            with claimed as materialized (
                select id from taskq_task
                where state = 'PENDING' and queue = '%s' and eta <= now()
                order by priority desc, eta, id
                limit ? for no key update skip locked)
            update taskq_task t set state = 'RUNNING', attempt = t.attempt + 1, started_at = now(), alive_at = now(),
                                    worker = 'ref'
            from claimed where t.id = claimed.id
            returning t.id, t.attempt""".formatted(QUEUE);
    private static final String INSERT_COLUMNS = "insert into taskq_task (id, queue, name, args, state, priority, eta, "
            + "attempt, max_attempts, created_at) values ";
    private static final String ROW = "(nextval('taskq_task_seq'), '" + QUEUE + "', 'noop', cast(? as jsonb), "
            + "'PENDING', 0, now(), 0, 3, now())";

    private final TestDatabase database;

    References(TestDatabase database) {
        this.database = database;
    }

    /** {@code ref-insert-1}: a one-row INSERT per transaction. */
    double insertOneByOne(int rows) throws SQLException {
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(
                INSERT_COLUMNS + ROW)) {
            long start = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                insert.setString(1, String.valueOf(i));
                insert.executeUpdate();
                connection.commit();
            }
            return Rates.perSecond(rows, start);
        }
    }

    /** {@code ref-insert-1000-values}: one multi-row INSERT of {@code batch} rows per transaction. */
    double insertMultiRow(int batches, int batch) throws SQLException {
        String sql = INSERT_COLUMNS + String.join(", ", java.util.Collections.nCopies(batch, ROW));
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(sql)) {
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                for (int row = 1; row <= batch; row++) {
                    insert.setString(row, String.valueOf(row));
                }
                insert.executeUpdate();
                connection.commit();
            }
            return Rates.perSecond(batches * batch, start);
        }
    }

    /** Fills the reference queue with {@code tasks} due rows, vacuumed, for a consumer to burn down. */
    void fill(int tasks) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(INSERT_COLUMNS.replace(" values ", " ") + "select nextval('taskq_task_seq'), '" + QUEUE
                    + "', 'noop', '1', 'PENDING', 0, now(), 0, 3, now() from generate_series(1, " + tasks + ")");
            statement.execute("vacuum analyze taskq_task");
        }
    }

    /**
     * Burns down {@code tasks} rows (filled before) on {@code threads} connections: claim {@code claim} rows and mark
     * them RUNNING in one transaction, then delete each in a transaction of its own ({@code batchDelete} false:
     * {@code ref-claim1}, {@code ref-claim10-delete-each}) or all in one ({@code ref-claim100-delete-batch}).
     */
    double consume(int tasks, int threads, int claim, boolean batchDelete) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> consumers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                consumers.add(pool.submit(() -> consumeUntilEmpty(claim, batchDelete)));
            }
            int done = 0;
            for (Future<Integer> consumer : consumers) {
                done += consumer.get();
            }
            if (done != tasks) {
                throw new IllegalStateException("the reference consumed " + done + " of " + tasks + " tasks");
            }
            return Rates.perSecond(tasks, start);
        } finally {
            pool.shutdownNow();
        }
    }

    private int consumeUntilEmpty(int claim, boolean batchDelete) throws SQLException {
        int done = 0;
        try (Connection connection = connect();
                PreparedStatement claimDue = connection.prepareStatement(CLAIM);
                PreparedStatement deleteOne = connection.prepareStatement(
                        "delete from taskq_task where id = ? and attempt = ? and state = 'RUNNING'");
                PreparedStatement deleteAll = connection.prepareStatement(
                        "delete from taskq_task where id = any(?) and state = 'RUNNING'")) {
            while (true) {
                claimDue.setInt(1, claim);
                List<long[]> claimed = new ArrayList<>();
                try (ResultSet rows = claimDue.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(new long[] {rows.getLong(1), rows.getInt(2)});
                    }
                }
                connection.commit();
                if (claimed.isEmpty()) {
                    return done;
                }
                if (batchDelete) {
                    Array ids = connection.createArrayOf("bigint", claimed.stream().map(row -> row[0]).toArray());
                    deleteAll.setArray(1, ids);
                    deleteAll.executeUpdate();
                    connection.commit();
                } else {
                    for (long[] row : claimed) {
                        deleteOne.setLong(1, row[0]);
                        deleteOne.setInt(2, (int) row[1]);
                        deleteOne.executeUpdate();
                        connection.commit();
                    }
                }
                done += claimed.size();
            }
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = database.connect();
        connection.setAutoCommit(false);
        return connection;
    }
}
