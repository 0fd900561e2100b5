package dev.taskq.internal;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Finds the driver's SQL state under the wrappings of JPA, Hibernate, JTA and a server's pool: anywhere in the cause
 * chain, and in an exception's next exception, where a failed batch keeps the real one.
 */
final class SqlStates {

    private SqlStates() {
    }

    /** @return whether any SQL exception behind {@code failure} has a state that {@code state} accepts */
    static boolean any(Throwable failure, Predicate<String> state) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && (accepts(sql, state) || accepts(sql.getNextException(), state))) {
                return true;
            }
        }
        return false;
    }

    private static boolean accepts(SQLException sql, Predicate<String> state) {
        return sql != null && sql.getSQLState() != null && state.test(sql.getSQLState());
    }
}
