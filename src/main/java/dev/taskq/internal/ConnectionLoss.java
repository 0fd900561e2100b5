package dev.taskq.internal;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Tells a database that did not answer from a statement that failed. Only the first is worth retrying as it is:
 * the same work succeeds once the database is back, whereas a failed statement fails again.
 *
 * <p>Recognised anywhere in the cause chain, since JPA, Hibernate, JTA and a server's pool each wrap the driver's
 * exception their own way: SQL states of class {@code 08} (connection exception), {@code 57P01}-{@code 57P03}
 * (the server shut down, crashed, or cannot accept connections yet), {@code 53300} (too many connections), the
 * JDBC connection exception types, the socket errors under them, and a server's pool that cannot hand out a
 * connection ({@code jakarta.resource.ResourceException}: Payara reports a dead pooled XA connection as
 * "Error in allocating a connection", with no SQL state), and a {@link CommitOutcomeUnknown}.
 */
final class ConnectionLoss {

    private ConnectionLoss() {
    }

    /** @return whether {@code failure} means the database could not be reached, rather than that work failed in it */
    static boolean is(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = cause.getCause()) {
            if (cause instanceof CommitOutcomeUnknown || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SocketException || cause instanceof EOFException || isPoolFailure(cause)) {
                return true;
            }
        }
        return SqlStates.any(failure, ConnectionLoss::isConnectionState);
    }

    /** By name, so TaskQ needs no Connector API where there is none (Java SE). */
    private static boolean isPoolFailure(Throwable cause) {
        for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals("jakarta.resource.ResourceException")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionState(String state) {
        return (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300"));
    }
}
