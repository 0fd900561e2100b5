package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.engine.jdbc.spi.JdbcCoordinator;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.query.spi.QueryImplementor;

/**
 * Runs the statements that come once per task or per claim as plain JDBC statements, on the connection of the entity
 * manager's transaction (so they commit or roll back with it, the handler's work included). On a no-op task a
 * Hibernate native query cost more JVM time than its round trip: it is parsed, each parameter bound through
 * Hibernate's types, and a clean-up of the entity it names scheduled. These statements change only
 * {@code taskq_task} rows that no persistence context holds (a claim selects no entity), so there is nothing to
 * flush or evict for them.
 *
 * <p>They go through the session's JDBC coordinator, as Hibernate's own statements do, so its statistics, SQL log
 * and statement inspector see them, and a failure reaches the caller as Hibernate's {@code JDBCException} with the
 * driver's exception as its cause. Parameters are bound by position: an {@link Instant} as a {@code timestamptz},
 * anything else as itself.
 */
final class PlainJdbc {

    private PlainJdbc() {
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** @return how many rows {@code sql} changed */
    static int update(EntityManager em, String sql, Object... parameters) {
        return execute(em, sql, parameters,
                (jdbc, statement) -> jdbc.getResultSetReturn().executeUpdate(statement, sql));
    }

    /** @return the rows {@code sql} returns, each as {@code row} reads it */
    static <T> List<T> query(EntityManager em, String sql, Row<T> row, Object... parameters) {
        return execute(em, sql, parameters, (jdbc, statement) -> {
            ResultSet rows = jdbc.getResultSetReturn().extract(statement, sql);
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(row.read(rows));
            }
            return values;
        });
    }

    /** What one statement does once prepared and bound; Hibernate converts the driver's exceptions it throws. */
    @FunctionalInterface
    private interface Execution<T> {
        T run(JdbcCoordinator jdbc, PreparedStatement statement) throws SQLException;
    }

    /** Prepares and binds {@code sql}, runs {@code execution} on it, and releases it as Hibernate's own do. */
    private static <T> T execute(EntityManager em, String sql, Object[] parameters, Execution<T> execution) {
        SharedSessionContractImplementor session = session(em);
        JdbcCoordinator jdbc = session.getJdbcCoordinator();
        PreparedStatement statement = jdbc.getStatementPreparer().prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i];
                statement.setObject(i + 1, value instanceof Instant instant ? TaskStore.utc(instant) : value);
            }
            return execution.run(jdbc, statement);
        } catch (SQLException e) {
            throw session.getJdbcServices().getSqlExceptionHelper().convert(e, "Running a TaskQ statement", sql);
        } finally {
            jdbc.getLogicalConnection().getResourceRegistry().release(statement);
            jdbc.afterStatementExecution();
        }
    }

    /** @return the {@code timestamptz} in column {@code column} of {@code row}, or null */
    static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * @return the Hibernate session behind {@code em}. A CDI client proxy (an entity manager produced in a normal
     *         scope, such as {@code @TransactionScoped}) hands itself back from {@code unwrap}, since the session's
     *         {@code unwrap} returns {@code this}; a query it creates still knows the session.
     */
    private static SharedSessionContractImplementor session(EntityManager em) {
        Class<?> type = SharedSessionContractImplementor.class;
        Object unwrapped = em.unwrap(type);
        if (unwrapped instanceof SharedSessionContractImplementor session) {
            return session;
        }
        return em.createNativeQuery("select 1").unwrap(QueryImplementor.class).getSession();
    }
}
