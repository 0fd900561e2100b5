package dev.taskq.it;

import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What client-side ITs do in the database, as an operator or another node would: insert a task row, read one
 * column of it, count rows. Runs in the test JVM only.
 */
final class TaskRows {

    private TaskRows() {
    }

    /** Inserts a PENDING task, due now, as another node's enqueue would. */
    static long insert(String queue, String name, String argsJson, int maxAttempts) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement insert = connection.prepareStatement("""
                insert into taskq_task (id, queue, name, args, state, eta, max_attempts, created_at)
                values (nextval('taskq_task_seq'), ?, ?, cast(? as jsonb), 'PENDING', now(), ?, now())
                returning id""")) {
            insert.setString(1, queue);
            insert.setString(2, name);
            insert.setString(3, argsJson);
            insert.setInt(4, maxAttempts);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many task rows meet {@code condition}, an SQL predicate with {@code ?} for each parameter */
    static long count(String condition, Object... parameters) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement select = connection
                .prepareStatement("select count(*) from taskq_task where " + condition)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the one number {@code sql} selects: a count of anything in the test database */
    static long single(String sql) {
        try (Connection connection = TestDatabase.get().connect();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the task's state, or {@code null} once the row is gone */
    static String state(long id) {
        return column(id, "state", String.class);
    }

    /** @return one column of the task's row, or {@code null} once the row is gone */
    static <T> T column(long id, String column, Class<T> type) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement select = connection
                .prepareStatement("select " + column + " from taskq_task where id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getObject(1, type) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
